//! Importing CSV and `.npy` files: layouts real files have, bad rows reported by line and
//! column, the size check before parsing, cancellation, and the invariants — arbitrary
//! bytes never panic, written matrices read back, and the chunking never changes a result.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use blobscale::data::import::{
    BadReason, Delimiter, FileFormat, ImportError, ImportOptions, import, sniff,
};
use blobscale::monitor::{Monitor, Unmonitored};
use proptest::prelude::*;

fn opts() -> ImportOptions {
    ImportOptions::default()
}

fn run(bytes: &[u8], o: &ImportOptions) -> Result<blobscale::data::import::Imported, ImportError> {
    import(bytes, o, None, &Unmonitored)
}

/// A `.npy` file as NumPy writes it: header padded to 64 bytes, ending in `\n`.
fn npy(version: u8, descr: &str, fortran: bool, shape: &str, data: &[u8]) -> Vec<u8> {
    let dict = format!(
        "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}",
        if fortran { "True" } else { "False" }
    );
    let mut h = dict.into_bytes();
    let pre = if version == 1 { 10 } else { 12 };
    while !(pre + h.len() + 1).is_multiple_of(64) {
        h.push(b' ');
    }
    h.push(b'\n');
    let mut out = b"\x93NUMPY".to_vec();
    out.extend([version, 0]);
    if version == 1 {
        out.extend((h.len() as u16).to_le_bytes());
    } else {
        out.extend((h.len() as u32).to_le_bytes());
    }
    out.extend(h);
    out.extend(data);
    out
}

#[test]
fn header_bom_crlf_quotes_and_blank_lines() {
    let text = "\u{feff}\"x\";\"y\";name\r\n1;2;a\r\n\r\n\"3\";4;\"b;c\"\r\n  \r\n5;6;d";
    let out = run(text.as_bytes(), &opts()).unwrap();
    assert_eq!(out.options.delimiter, Some(Delimiter::Semicolon));
    assert_eq!(out.options.header, Some(true));
    assert_eq!(out.report.column_names, ["x", "y"]);
    assert_eq!(out.matrix.as_slice(), &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(out.report.bad_count, 0);
}

#[test]
fn bad_rows_are_counted_and_listed_by_line_and_column() {
    let mut text = String::from("a,b,c\n");
    text.push_str("1,2,3\n4,five,6\n7,8\n9,NaN,1\n,1,2\n");
    for i in 0..30 {
        text.push_str(&format!("{i},x{i},0\n"));
    }
    text.push_str("10,11,12\n");
    // Most sampled rows have text in column b, so it is picked by hand.
    let o = ImportOptions {
        columns: Some(vec![0, 1, 2]),
        ..opts()
    };
    let out = run(text.as_bytes(), &o).unwrap();
    assert_eq!(out.report.rows, 2);
    assert_eq!(out.report.bad_count, 34);
    assert_eq!(out.report.bad_rows.len(), 20);
    assert_eq!(out.report.unlisted_bad(), Some(14));
    let b = &out.report.bad_rows;
    assert_eq!((b[0].line, b[0].column, b[0].text.as_str()), (3, 2, "five"));
    assert_eq!(b[0].reason, BadReason::NotANumber);
    assert_eq!((b[1].line, b[1].column), (4, 3));
    assert_eq!(
        b[1].reason,
        BadReason::FieldCount {
            expected: 3,
            found: 2
        }
    );
    assert_eq!(
        (b[2].line, b[2].column, b[2].reason.clone()),
        (5, 2, BadReason::NotFinite)
    );
    assert_eq!(
        (b[3].line, b[3].column, b[3].reason.clone()),
        (6, 1, BadReason::Empty)
    );
    assert_eq!(out.matrix.as_slice(), &[1.0, 2.0, 3.0, 10.0, 11.0, 12.0]);
}

#[test]
fn chosen_columns_delimiter_and_header_overrides() {
    let text = b"1 2 3\n4 5 6\n";
    let o = ImportOptions {
        columns: Some(vec![2, 0]),
        ..opts()
    };
    let out = run(text, &o).unwrap();
    assert_eq!(out.options.delimiter, Some(Delimiter::Space));
    assert_eq!(out.matrix.as_slice(), &[3.0, 1.0, 6.0, 4.0]);
    assert_eq!(out.report.column_names, ["column 3", "column 1"]);
    // Forcing a header turns the first row into names.
    let o = ImportOptions {
        header: Some(true),
        ..opts()
    };
    let out = run(text, &o).unwrap();
    assert_eq!(out.report.rows, 1);
    assert_eq!(out.report.column_names, ["1", "2", "3"]);
    // A column past the end is refused with the range.
    let o = ImportOptions {
        columns: Some(vec![5]),
        ..opts()
    };
    let e = run(text, &o).unwrap_err().to_string();
    assert_eq!(
        e,
        "column = 6 is out of range: allowed 1 ..= 3 (the file's columns)"
    );
    // Forcing the wrong delimiter gives one field per row: nothing numeric.
    let o = ImportOptions {
        delimiter: Some(Delimiter::Tab),
        ..opts()
    };
    assert!(
        run(text, &o)
            .unwrap_err()
            .to_string()
            .contains("numeric column")
    );
}

#[test]
fn preview_shows_names_numeric_columns_and_first_rows() {
    let text = b"id\tx\ty\na\t1\t2\nb\t3\t4\n";
    let p = sniff(text, text.len() as u64, &opts()).unwrap();
    assert_eq!(p.format, FileFormat::Csv);
    assert_eq!(p.delimiter, Some(Delimiter::Tab));
    assert!(p.header);
    assert_eq!(p.column_names, ["id", "x", "y"]);
    assert_eq!(p.numeric, [false, true, true]);
    assert_eq!(p.default_columns(), [1, 2]);
    assert_eq!(p.rows, [["a", "1", "2"], ["b", "3", "4"]]);
    assert_eq!(p.estimated_rows, 2);
}

#[test]
fn row_estimate_of_a_large_file_is_close() {
    let mut text = String::from("x,y\n");
    for i in 0..100_000 {
        text.push_str(&format!("{}.25,{}\n", i % 1000, i % 7));
    }
    let head = &text.as_bytes()[..64 << 10];
    let p = sniff(head, text.len() as u64, &opts()).unwrap();
    let err = (p.estimated_rows as f64 - 100_000.0).abs() / 100_000.0;
    assert!(err < 0.1, "estimated {}", p.estimated_rows);
    let out = run(text.as_bytes(), &opts()).unwrap();
    assert_eq!(out.report.rows, 100_000);
}

#[test]
fn standardisation_centres_scales_and_names_constant_columns() {
    let text = b"a,b\n1,7\n2,7\n3,7\n";
    let o = ImportOptions {
        standardise: true,
        ..opts()
    };
    let out = run(text, &o).unwrap();
    assert!(out.report.standardised);
    assert_eq!(out.report.constant_columns, ["b"]);
    let a: Vec<f32> = out.matrix.as_slice().iter().step_by(2).copied().collect();
    let s = 1.5f32.sqrt();
    assert!(
        (a[0] + s).abs() < 1e-6 && a[1].abs() < 1e-6 && (a[2] - s).abs() < 1e-6,
        "{a:?}"
    );
    assert!(
        out.matrix
            .as_slice()
            .iter()
            .skip(1)
            .step_by(2)
            .all(|&v| v == 0.0)
    );
}

#[test]
fn npy_dtypes_orders_versions_and_shapes() {
    let f8: Vec<u8> = [1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    for v in [1, 2, 3] {
        let out = run(&npy(v, "<f8", false, "(3, 2)", &f8), &opts()).unwrap();
        assert_eq!(out.matrix.as_slice(), &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    }
    // Fortran order: the same bytes are the columns.
    let out = run(&npy(1, "<f8", true, "(3, 2)", &f8), &opts()).unwrap();
    assert_eq!(out.matrix.as_slice(), &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
    let be: Vec<u8> = [1.5f32, -2.0]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect();
    let out = run(&npy(1, ">f4", false, "(2,)", &be), &opts()).unwrap();
    assert_eq!((out.matrix.n_rows(), out.matrix.n_cols()), (2, 1));
    assert_eq!(out.matrix.as_slice(), &[1.5, -2.0]);
    let i4: Vec<u8> = [-1i32, 2, 3, 4]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let out = run(&npy(1, "<i4", false, "(2, 2)", &i4), &opts()).unwrap();
    assert_eq!(out.matrix.as_slice(), &[-1.0, 2.0, 3.0, 4.0]);
    let out = run(&npy(1, "|u1", false, "(2, 2)", &[1, 2, 255, 4]), &opts()).unwrap();
    assert_eq!(out.matrix.as_slice(), &[1.0, 2.0, 255.0, 4.0]);
    // A NaN row is excluded and reported by row and column.
    let nan: Vec<u8> = [1.0f32, f32::NAN, 3.0, 4.0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let out = run(&npy(1, "<f4", false, "(2, 2)", &nan), &opts()).unwrap();
    assert_eq!(out.report.bad_count, 1);
    assert_eq!(
        out.report.bad_rows[0].to_string(),
        "line 1, column 2: 'NaN' — not a finite number"
    );
    assert_eq!(out.matrix.as_slice(), &[3.0, 4.0]);
}

#[test]
fn npy_errors_are_clear() {
    let e = run(&npy(1, "<f8", false, "(3, 2)", &[0; 8]), &opts()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "not a readable .npy file: truncated: shape (3, 2) of <f8 needs 48 bytes of data, the file holds 8"
    );
    let e = run(&npy(1, "<U8", false, "(3,)", &[]), &opts()).unwrap_err();
    assert!(
        e.to_string().contains("dtype '<U8' is not supported"),
        "{e}"
    );
    let e = run(&npy(1, "<f8", false, "()", &[]), &opts()).unwrap_err();
    assert!(e.to_string().contains("1-D or 2-D"), "{e}");
}

#[test]
fn npyz_written_files_read_back() {
    let path = std::env::temp_dir().join(format!("blobscale-import-{}.npy", std::process::id()));
    let values: Vec<f32> = (0..12).map(|v| v as f32 * 0.5).collect();
    {
        use npyz::WriterBuilder;
        let f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut w = npyz::WriteOptions::new()
            .default_dtype()
            .shape(&[4, 3])
            .writer(f)
            .begin_nd()
            .unwrap();
        w.extend(values.iter().copied()).unwrap();
        w.finish().unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).ok();
    let out = run(&bytes, &opts()).unwrap();
    assert_eq!((out.matrix.n_rows(), out.matrix.n_cols()), (4, 3));
    assert_eq!(out.matrix.as_slice(), &values[..]);
}

#[test]
fn a_file_too_large_for_the_budget_is_refused_from_its_header() {
    // The header claims 2^31 × 8 float64 values; the file has none of them.
    let f = npy(1, "<f8", false, "(2147483648, 8)", &[]);
    let e = import(&f, &opts(), Some(3 << 30), &Unmonitored).unwrap_err();
    assert!(
        matches!(
            e,
            ImportError::TooLarge {
                rows: 2147483648,
                columns: 8,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string().contains("needs about 131073 MiB")
            && e.to_string().contains("only 3072 MiB fit"),
        "{e}"
    );
    // A CSV is refused from its estimated rows.
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("{i},{i},{i}\n"));
    }
    let e = import(text.as_bytes(), &opts(), Some(100_000), &Unmonitored).unwrap_err();
    assert!(matches!(e, ImportError::TooLarge { .. }), "{e}");
    assert!(import(text.as_bytes(), &opts(), Some(1 << 30), &Unmonitored).is_ok());
}

struct Counting {
    cancel_after: u64,
    tasks: AtomicU64,
    last: AtomicU64,
    stop: AtomicBool,
}

impl Monitor for Counting {
    fn is_cancelled(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
    fn task_finished(&self, _: blobscale::monitor::TaskKind, _: usize, _: u64) {
        if self.tasks.fetch_add(1, Ordering::Relaxed) + 1 >= self.cancel_after {
            self.stop.store(true, Ordering::Relaxed);
        }
    }
    fn progress(&self, done: u64, _total: u64) {
        self.last.fetch_max(done, Ordering::Relaxed);
    }
}

#[test]
fn progress_reaches_the_end_and_cancellation_stops() {
    let mut text = String::new();
    for i in 0..5_000 {
        text.push_str(&format!("{i},{}\n", i * 2));
    }
    let o = ImportOptions {
        parse_chunk_bytes: 1000,
        ..opts()
    };
    let m = Counting {
        cancel_after: u64::MAX,
        tasks: AtomicU64::new(0),
        last: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    };
    import(text.as_bytes(), &o, None, &m).unwrap();
    assert!(m.tasks.load(Ordering::Relaxed) > 10);
    assert_eq!(m.last.load(Ordering::Relaxed), text.len() as u64);
    let m = Counting {
        cancel_after: 2,
        tasks: AtomicU64::new(0),
        last: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    };
    assert_eq!(
        import(text.as_bytes(), &o, None, &m).unwrap_err(),
        ImportError::Cancelled
    );
}

/// CSV text with a header, good rows, bad rows, quotes, CRLF and blank lines.
fn messy_csv() -> impl Strategy<Value = String> {
    let row = prop_oneof![
        6 => (-1e6f32..1e6, -1e6f32..1e6, 0u8..3).prop_map(|(a, b, q)| match q {
            0 => format!("{a},{b},t"),
            1 => format!("\"{a}\",{b},\"x,\"\"y\"\"\nz\""),
            _ => format!("{a}, {b} ,t\r"),
        }),
        1 => Just("1,oops,t".to_string()),
        1 => Just("1,2".to_string()),
        1 => Just("NaN,1,t".to_string()),
        1 => Just(String::new()),
    ];
    proptest::collection::vec(row, 1..60).prop_map(|rows| format!("a,b,c\n{}\n", rows.join("\n")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), chunk in 1usize..64) {
        let o = ImportOptions { parse_chunk_bytes: chunk, ..ImportOptions::default() };
        let _ = sniff(&bytes, bytes.len() as u64, &o);
        let _ = import(&bytes, &o, Some(1 << 20), &Unmonitored);
        let mut npy_like = b"\x93NUMPY".to_vec();
        npy_like.extend(&bytes);
        let _ = import(&npy_like, &o, Some(1 << 20), &Unmonitored);
    }

    #[test]
    fn a_written_matrix_reads_back(rows in proptest::collection::vec(proptest::collection::vec(any::<f32>().prop_filter("finite", |v| v.is_finite()), 3), 1..40)) {
        let mut text = String::from("p,q,r\n");
        for r in &rows {
            text.push_str(&format!("{},{},{}\n", r[0], r[1], r[2]));
        }
        let out = import(text.as_bytes(), &ImportOptions::default(), None, &Unmonitored).unwrap();
        let flat: Vec<f32> = rows.concat();
        prop_assert_eq!(out.matrix.as_slice(), &flat[..]);
        let npy_bytes: Vec<u8> = flat.iter().flat_map(|v| v.to_le_bytes()).collect();
        let f = npy(1, "<f4", false, &format!("({}, 3)", rows.len()), &npy_bytes);
        let out = import(&f, &ImportOptions::default(), None, &Unmonitored).unwrap();
        prop_assert_eq!(out.matrix.as_slice(), &flat[..]);
    }

    #[test]
    fn the_chunking_never_changes_the_result(text in messy_csv(), chunk in 1usize..300, rows in 1usize..20, standardise in any::<bool>()) {
        let base = ImportOptions { standardise, ..ImportOptions::default() };
        let whole = import(text.as_bytes(), &base, None, &Unmonitored);
        let o = ImportOptions { parse_chunk_bytes: chunk, chunk_rows: rows, ..base };
        let chunked = import(text.as_bytes(), &o, None, &Unmonitored);
        match (whole, chunked) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.matrix.as_slice(), b.matrix.as_slice());
                prop_assert_eq!(a.report, b.report);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a.map(|x| x.report), b.map(|x| x.report)),
        }
    }
}
