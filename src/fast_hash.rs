//! A fast hasher for the maps and sets of paths a build fills with tens of
//! thousands of entries (the output's 58 757 files, its 16 000 folders).
//! The standard library's SipHash resists collisions crafted by an
//! attacker, which nobody crafts from their own site's file names; it took
//! a tenth of publishing a one-team rebuild, on the one thread that sweeps
//! the output. This is the multiply-and-rotate hash of the Rust compiler
//! (FxHash): a few instructions per eight bytes.

use std::hash::{BuildHasherDefault, Hasher};

pub type FastHashMap<K, V> = std::collections::HashMap<K, V, BuildFastHasher>;
pub type FastHashSet<T> = std::collections::HashSet<T, BuildFastHasher>;
pub type BuildFastHasher = BuildHasherDefault<FastHasher>;

#[derive(Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(i.into());
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The last multiplication mixes the low bits into the high ones
        // only: turned, so that the bits a table picks its bucket by are
        // mixed too (as rustc-hash 2 does).
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::FastHashSet;

    /// Strings that differ only past their first eight bytes, or only in
    /// length, are told apart (`str` hashes its bytes, then a 0xff).
    #[test]
    fn a_set_of_paths_holds_each_once() {
        let paths = [
            "equipes/a/index.html",
            "equipes/a/index.htm",
            "equipes/b/index.html",
            "equipes/a/",
            "",
        ];
        let set: FastHashSet<&str> = paths.iter().copied().collect();
        assert_eq!(set.len(), paths.len());
        for path in paths {
            assert!(set.contains(path));
        }
        assert!(!set.contains("equipes/c/index.html"));
    }
}
