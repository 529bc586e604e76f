//! A fast hasher for the maps and sets of paths a build fills with tens of
//! thousands of entries (the output's 58 757 files, its 16 000 folders).
//! The standard library's SipHash resists collisions crafted by an
//! attacker, which nobody crafts from their own site's file names; it took
//! a tenth of publishing a one-team rebuild, on the one thread that sweeps
//! the output. This is the Rust compiler's hash (rustc-hash 2): a few
//! instructions per eight bytes, and its strings' hash mixed well enough
//! that paths alike from end to end seldom share a bucket. (The first FxHash
//! copied here gave the manifest's 58 757 paths twice as long to go in a
//! map, most of it comparing paths that collided.)

pub type FastHashMap<K, V> = std::collections::HashMap<K, V, BuildFastHasher>;
pub type FastHashSet<T> = std::collections::HashSet<T, BuildFastHasher>;
pub type BuildFastHasher = rustc_hash::FxBuildHasher;

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
