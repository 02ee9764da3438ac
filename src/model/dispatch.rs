//! Dispatch policies: the choice among several eligible nodes (SPEC §1
//! `[dispatch]`). A retry prefers a node not yet tried for the request, and
//! does not move the round-robin cursor: otherwise every retry would shift
//! the rotation of new requests, and a dead node at the right phase would
//! catch every first attempt.

use crate::scenario::Policy;
use crate::sim::Stream;

/// Nodes tried by a request, as a bit set of `id mod 64`. Aliasing in
/// clusters of more than 64 nodes only weakens a preference.
pub fn bit(node: u32) -> u64 {
    1u64 << (node % 64)
}

/// Chooses a node from a non-empty `set`.
pub fn choose(
    policy: Policy,
    set: &[u32],
    tried: u64,
    cursor: &mut usize,
    rng: &mut Stream,
    load: impl Fn(u32) -> usize,
) -> u32 {
    debug_assert!(!set.is_empty());
    let len = set.len();
    if tried == 0 {
        // A first attempt: every node is untried, so no count and no scan
        // (issue 8: O(1) whatever the size of the set). The same draws and
        // picks as the general path below.
        match policy {
            Policy::RoundRobin => {
                let idx = *cursor % len;
                *cursor = idx + 1;
                return set[idx];
            }
            Policy::Random => return set[rng.below(len as u64) as usize],
            Policy::PowerOfTwo if len > 1 => {
                let a = rng.below(len as u64) as usize;
                let mut b = rng.below(len as u64 - 1) as usize;
                if b >= a {
                    b += 1;
                }
                let (na, nb) = (set[a], set[b]);
                return if load(nb) < load(na) { nb } else { na };
            }
            Policy::PowerOfTwo => return set[0],
            Policy::LeastLoaded => {} // looks at every node by definition
        }
    }
    let retry = tried != 0;
    let mut untried = set.iter().filter(|&&n| tried & bit(n) == 0).count();
    let tried = if untried == 0 {
        untried = set.len();
        0
    } else {
        tried
    };
    let ok = |n: u32| tried & bit(n) == 0;
    match policy {
        Policy::RoundRobin => {
            for i in 0..len {
                let idx = (*cursor + i) % len;
                if ok(set[idx]) {
                    if !retry {
                        *cursor = idx + 1;
                    }
                    return set[idx];
                }
            }
            unreachable!("at least one node is untried")
        }
        Policy::Random => nth_untried(set, ok, rng.below(untried as u64) as usize),
        Policy::LeastLoaded => {
            // Scan from a rotating start so that ties spread evenly.
            let start = *cursor % len;
            *cursor = start + 1;
            let mut best: Option<(usize, u32)> = None;
            for i in 0..len {
                let n = set[(start + i) % len];
                if ok(n) {
                    let l = load(n);
                    if best.is_none_or(|(bl, _)| l < bl) {
                        best = Some((l, n));
                    }
                }
            }
            best.expect("at least one node is untried").1
        }
        Policy::PowerOfTwo => {
            if untried == 1 {
                return nth_untried(set, ok, 0);
            }
            let a = rng.below(untried as u64) as usize;
            let mut b = rng.below(untried as u64 - 1) as usize;
            if b >= a {
                b += 1;
            }
            let (na, nb) = (nth_untried(set, ok, a), nth_untried(set, ok, b));
            if load(nb) < load(na) {
                nb
            } else {
                na
            }
        }
    }
}

fn nth_untried(set: &[u32], ok: impl Fn(u32) -> bool, k: usize) -> u32 {
    *set.iter().filter(|&&n| ok(n)).nth(k).expect("k < untried")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::StreamKind;

    #[test]
    fn round_robin_cycles_and_skips_tried() {
        let mut rng = Stream::new(1, StreamKind::Dispatch, 0);
        let mut cur = 0;
        let set = [0, 1, 2];
        let mut pick =
            |tried: u64| choose(Policy::RoundRobin, &set, tried, &mut cur, &mut rng, |_| 0);
        let picks: Vec<u32> = (0..4).map(|_| pick(0)).collect();
        assert_eq!(picks, vec![0, 1, 2, 0]);
        // A retry of a request that tried node 1 skips it and leaves the
        // cursor alone: the next new request still gets node 1.
        assert_eq!(pick(bit(1)), 2);
        assert_eq!(pick(0), 1);
        // Every node tried: any node will do (the one at the cursor).
        assert_eq!(pick(bit(0) | bit(1) | bit(2)), 2);
        assert_eq!(pick(0), 2);
    }

    #[test]
    fn least_loaded_and_power_of_two_prefer_light_nodes() {
        let mut rng = Stream::new(1, StreamKind::Dispatch, 0);
        let mut cur = 0;
        let loads = [5, 0, 7];
        let set = [0, 1, 2];
        for _ in 0..5 {
            assert_eq!(
                choose(Policy::LeastLoaded, &set, 0, &mut cur, &mut rng, |n| loads
                    [n as usize]),
                1
            );
        }
        // With two nodes, power-of-two always compares both.
        for _ in 0..20 {
            assert_eq!(
                choose(Policy::PowerOfTwo, &[0, 1], 0, &mut cur, &mut rng, |n| {
                    loads[n as usize]
                }),
                1
            );
        }
    }
}
