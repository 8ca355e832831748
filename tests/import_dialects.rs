//! Files as real tools write them (tests/fixtures/import, made by
//! scripts/make_import_fixtures.py with pandas): each imports with no option given and
//! reads what pandas reads with the options it needs, or is refused with its reason; a
//! column of classes becomes ground truth; arbitrary bytes give rows or a located error.

use blobscale::cluster::metrics::adjusted_rand_index;
use blobscale::cluster::{Algorithm, Init, KMeansParams};
use blobscale::data::import::{
    DecimalMark, Delimiter, ImportError, ImportOptions, StreamImport, Thousands, import, sniff,
};
use blobscale::monitor::Unmonitored;
use proptest::prelude::*;
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{name}")).unwrap()
}

fn manifest() -> Value {
    serde_json::from_slice(&fixture("expected.json")).unwrap()
}

#[test]
fn every_file_pandas_reads_imports_without_options() {
    let m = manifest();
    let cases = m["read"].as_array().unwrap();
    assert!(cases.len() >= 8, "{} cases", cases.len());
    for c in cases {
        let file = c["file"].as_str().unwrap();
        let out = import(
            &fixture(file),
            &ImportOptions::default(),
            None,
            &Unmonitored,
        )
        .unwrap_or_else(|e| panic!("{file}: {e}"));
        let rows = c["rows"].as_u64().unwrap() as usize;
        assert_eq!(out.report.rows, rows, "{file}: rows");
        assert_eq!(out.report.bad_count, 0, "{file}: {:?}", out.report.bad_rows);
        let want: Vec<f64> = serde_json::from_value(c["sums"].clone()).unwrap();
        let d = out.matrix.n_cols();
        assert_eq!(
            d,
            want.len(),
            "{file}: columns {:?}",
            out.report.column_names
        );
        for (j, w) in want.iter().enumerate() {
            let got: f64 = (0..rows)
                .map(|i| f64::from(out.matrix.as_slice()[i * d + j]))
                .sum();
            assert!(
                (got - w).abs() <= 1e-9 * w.abs().max(1.0),
                "{file}: column {j} sums to {got}, pandas {w}"
            );
        }
        // Names as pandas reads them, where the file has a header line.
        if c["pandas"].get("names").is_none() {
            let names: Vec<String> = serde_json::from_value(c["columns"].clone()).unwrap();
            assert_eq!(out.report.column_names, names, "{file}: names");
        }
    }
}

#[test]
fn dialects_are_detected_and_can_be_overridden() {
    let p = sniff(
        &fixture("thousands_point_decimal_comma.csv"),
        u64::MAX,
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(p.delimiter, Some(Delimiter::Semicolon));
    let f = p.number_format.unwrap();
    assert_eq!(
        (f.decimal, f.thousands),
        (DecimalMark::Comma, Thousands::Point)
    );
    // Told the wrong mark, the same file has no numeric column left, and says so.
    let wrong = ImportOptions {
        decimal: Some(DecimalMark::Point),
        thousands: Some(Thousands::None),
        ..ImportOptions::default()
    };
    let e = import(&fixture("decimal_comma.csv"), &wrong, None, &Unmonitored).unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, ImportError::NoNumericColumn { .. }), "{text}");
    assert!(
        text.contains("'income' holds '") && text.contains("decimal point"),
        "{text}"
    );
    let e = ImportOptions {
        decimal: Some(DecimalMark::Comma),
        thousands: Some(Thousands::Comma),
        ..ImportOptions::default()
    }
    .check()
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "thousands = comma is out of range: allowed a separator other than the decimal mark"
    );
    // pandas' to_csv index is no feature, but can be chosen.
    let p = sniff(
        &fixture("pandas_to_csv.csv"),
        u64::MAX,
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!((p.row_index, p.default_columns()), (Some(0), vec![1, 2, 3]));
}

#[test]
fn every_refused_file_says_why_in_one_line() {
    for c in manifest()["refused"].as_array().unwrap() {
        let file = c["file"].as_str().unwrap();
        let reason = c["reason"].as_str().unwrap();
        let e = import(
            &fixture(file),
            &ImportOptions::default(),
            None,
            &Unmonitored,
        )
        .err()
        .unwrap_or_else(|| panic!("{file} imported"))
        .to_string();
        assert!(e.contains(reason) && !e.contains('\n'), "{file}: {e}");
    }
    let e = import(
        &fixture("text_only.csv"),
        &ImportOptions::default(),
        None,
        &Unmonitored,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("no numeric column ('name' holds 'ada', 'city' holds 'london')"),
        "{e}"
    );
    let e = import(
        &fixture("header_only.csv"),
        &ImportOptions::default(),
        None,
        &Unmonitored,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "no data rows: the file holds a header (height, income, score) and nothing below it"
    );
    let e = import(
        &fixture("binary.csv"),
        &ImportOptions::default(),
        None,
        &Unmonitored,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "not a text file: binary content (byte 0x00), at byte 0"
    );
    let e = import(
        b"a,b\n# only notes\n",
        &ImportOptions::default(),
        None,
        &Unmonitored,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("no data rows"), "{e}");
}

#[test]
fn a_string_class_column_is_ground_truth_and_scikit_learns_fit_from_given_centres_is_reproduced() {
    let oracle: Value = serde_json::from_slice(&fixture("iris_oracle.json")).unwrap();
    let o = ImportOptions {
        truth_column: Some(4),
        ..ImportOptions::default()
    };
    let out = import(&fixture("iris.csv"), &o, None, &Unmonitored).unwrap();
    let truth = out.truth.expect("a truth column");
    assert_eq!(truth.column, oracle["truth_column"].as_str().unwrap());
    let classes: Vec<String> = serde_json::from_value(oracle["classes"].clone()).unwrap();
    assert_eq!(truth.classes, classes);
    assert_eq!((out.matrix.n_cols(), truth.labels.len()), (4, 150));
    assert_eq!(out.report.truth_column.as_deref(), Some("species"));
    // The true centres are the class means.
    let centres = truth.centres(&out.matrix);
    let setosa: f64 = (0..50)
        .map(|i| f64::from(out.matrix.as_slice()[i * 4]))
        .sum::<f64>()
        / 50.0;
    assert!((centres[[0, 0]] - setosa).abs() < 1e-12);

    let init: Vec<Vec<f64>> = serde_json::from_value(oracle["init"].clone()).unwrap();
    let fit = KMeansParams::new(3)
        .init(Init::Centers(init))
        .algorithm(Algorithm::Lloyd)
        .check()
        .unwrap()
        .fit(&out.matrix, None)
        .unwrap();
    let labels: Vec<u32> = serde_json::from_value(oracle["labels"].clone()).unwrap();
    assert_eq!(fit.labels, labels);
    assert_eq!(fit.n_iter as u64, oracle["n_iter"].as_u64().unwrap());
    let inertia = oracle["inertia"].as_f64().unwrap();
    assert!(
        (fit.inertia - inertia).abs() <= 1e-9 * inertia,
        "{} vs {inertia}",
        fit.inertia
    );
    let ari = adjusted_rand_index(&truth.labels, &fit.labels.as_u32()).unwrap();
    let want = oracle["adjusted_rand"].as_f64().unwrap();
    assert!((ari - want).abs() < 1e-12, "ARI {ari}, scikit-learn {want}");
}

#[test]
fn a_truth_column_cannot_also_be_a_feature_and_an_empty_class_is_a_bad_row() {
    let o = ImportOptions {
        truth_column: Some(0),
        columns: Some(vec![0, 1]),
        ..ImportOptions::default()
    };
    assert!(
        o.check()
            .unwrap_err()
            .to_string()
            .starts_with("truth_column = 1")
    );
    let o = ImportOptions {
        truth_column: Some(2),
        ..ImportOptions::default()
    };
    let out = import(b"x,y,c\n1,2,a\n3,4,\n5,6,b\n", &o, None, &Unmonitored).unwrap();
    assert_eq!(out.truth.unwrap().labels, vec![0, 1]);
    assert_eq!(
        out.report.bad_rows[0].to_string(),
        "line 3, column 3: '' — missing value"
    );
}

/// Bytes that are mostly CSV-like: digits, separators, marks, quotes, line ends, and now
/// and then anything.
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        8 => proptest::sample::select(b"0123456789".to_vec()),
        3 => proptest::sample::select(b",;\t .'\"#\r\n-e".to_vec()),
        1 => any::<u8>(),
    ];
    proptest::collection::vec(byte, 0..600)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The sniffer and the parser never panic: the outcome is rows, each bad row named by
    /// its line and column, or an error of one line (a byte offset for what is not text).
    #[test]
    fn arbitrary_bytes_give_rows_or_a_located_error(bytes in prop_oneof![csvish(), proptest::collection::vec(any::<u8>(), 0..300)], truth in proptest::option::of(0usize..3)) {
        let o = ImportOptions { truth_column: truth, parse_chunk_bytes: 37, ..ImportOptions::default() };
        let _ = sniff(&bytes, bytes.len() as u64, &o);
        match import(&bytes, &o, Some(1 << 24), &Unmonitored) {
            Ok(out) => {
                prop_assert!(out.report.rows > 0);
                for b in &out.report.bad_rows {
                    prop_assert!(b.line >= 1 && b.column >= 1, "{}", b);
                }
            }
            Err(e) => {
                let text = e.to_string();
                prop_assert!(!text.is_empty() && !text.contains('\n'), "{}", text);
                if let ImportError::NoValidRows(r) = &e {
                    prop_assert!(r.bad_rows[0].line >= 1 && r.bad_rows[0].column >= 1);
                }
                if let ImportError::NotText { offset, .. } = &e {
                    prop_assert!((*offset as usize) < bytes.len().max(1));
                }
            }
        }
    }

    /// Fed in slices of any size, as the page reads a file, an import gives what the whole
    /// file gives: the same values, report, classes and weights, or the same error.
    #[test]
    fn any_slicing_gives_the_whole_files_import(bytes in csvish(), slice in 1usize..200, truth in proptest::option::of(0usize..3)) {
        let o = ImportOptions { truth_column: truth, parse_chunk_bytes: 29, ..ImportOptions::default() };
        let whole = import(&bytes, &o, None, &Unmonitored);
        let streamed = StreamImport::new(&bytes, bytes.len() as u64, &o, None, Some(slice)).and_then(|mut s| {
            for part in bytes.chunks(slice) {
                s.push(part, &Unmonitored)?;
            }
            s.finish(&Unmonitored)
        });
        match (whole, streamed) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.matrix.as_slice(), b.matrix.as_slice());
                prop_assert_eq!(a.report, b.report);
                prop_assert_eq!(a.truth, b.truth);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a.map(|x| x.report), b.map(|x| x.report)),
        }
    }
}
