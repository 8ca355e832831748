//! The size check made before parsing: what an import will hold at its peak, against the
//! memory the caller has (the page passes the room left in wasm's 4 GiB).

use super::error::ImportError;

const MIB: u64 = 1 << 20;

/// Bytes an import holds at its peak: the file's bytes (already in memory), every chunk's
/// parsed rows, and the assembled matrix they are copied into — two `f32` copies of
/// `rows × columns`. Saturates instead of wrapping, so an absurd header stays absurd.
pub fn required_bytes(file_len: u64, rows: u64, columns: u64) -> u64 {
    let matrix = rows.saturating_mul(columns).saturating_mul(4);
    file_len.saturating_add(matrix.saturating_mul(2))
}

/// Bytes a streamed import holds at its peak: the matrix once (reserved up front) and the
/// buffers of one slice of `slice` bytes ([`super::StreamImport::buffer_bound`]).
pub fn streamed_bytes(slice: u64, rows: u64, columns: u64) -> u64 {
    let matrix = rows.saturating_mul(columns).saturating_mul(4);
    matrix.saturating_add(super::StreamImport::buffer_bound(slice as usize) as u64)
}

/// `Err(TooLarge)` naming both sizes in MiB when `need > budget`.
pub fn check_fits(need: u64, budget: u64, rows: u64, columns: u64) -> Result<(), ImportError> {
    if need > budget {
        Err(ImportError::TooLarge {
            need_mib: need.div_ceil(MIB),
            room_mib: budget / MIB,
            rows,
            columns,
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_claim_is_refused_with_both_sizes() {
        let need = required_bytes(128, 1 << 31, 8);
        assert_eq!(need, 128 + (1u64 << 31) * 8 * 4 * 2);
        let e = check_fits(need, 3 << 30, 1 << 31, 8).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the file needs about 131073 MiB to import (2147483648 rows × 8 columns), only 3072 MiB fit"
        );
        assert!(check_fits(10, 10, 1, 1).is_ok());
        assert_eq!(required_bytes(u64::MAX, u64::MAX, 3), u64::MAX);
        // Streamed, the file's text is never held whole.
        assert_eq!(streamed_bytes(1 << 20, 1000, 2), 8000 + (6 << 20));
    }
}
