//! The stationary distribution of a small CTMC: πQ = 0, Σπ = 1, by Gaussian
//! elimination with partial pivoting on a dense matrix.

use std::collections::BTreeMap;

/// Per state, its transitions (j, rate) to other states.
pub type Transitions = Vec<Vec<(usize, f64)>>;

/// Every state reachable from `start` (in the order found, `start` first)
/// and, per state, its transitions (j, rate) to other states, rates to one
/// state summed. None once more than `max` states would be needed.
pub fn explore<S: Ord + Clone>(
    start: S,
    max: usize,
    mut successors: impl FnMut(&S) -> Vec<(f64, S)>,
) -> Option<(Vec<S>, Transitions)> {
    let mut index: BTreeMap<S, usize> = BTreeMap::new();
    let mut states = vec![start.clone()];
    index.insert(start, 0);
    let mut q = Vec::new();
    let mut k = 0;
    while k < states.len() {
        let mut out: BTreeMap<usize, f64> = BTreeMap::new();
        for (rate, next) in successors(&states[k]) {
            let j = match index.get(&next) {
                Some(&j) => j,
                None => {
                    if states.len() >= max {
                        return None;
                    }
                    states.push(next.clone());
                    index.insert(next, states.len() - 1);
                    states.len() - 1
                }
            };
            if j != k {
                *out.entry(j).or_default() += rate;
            }
        }
        q.push(out.into_iter().collect());
        k += 1;
    }
    Some((states, q))
}

/// `rates[i]` lists (j, rate) for the transitions out of state i.
#[allow(clippy::needless_range_loop)] // two rows of `a` are read at once
pub fn stationary(rates: &[Vec<(usize, f64)>]) -> Vec<f64> {
    let n = rates.len();
    // Row k is the balance equation of state k: Σ_i π_i Q[i][k] = 0.
    let mut a = vec![vec![0.0; n + 1]; n];
    for (i, out) in rates.iter().enumerate() {
        for &(j, r) in out {
            a[j][i] += r;
            a[i][i] -= r;
        }
    }
    // One balance equation is redundant: replace it by Σπ = 1.
    a[n - 1] = vec![1.0; n + 1];
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
            .expect("n > 0");
        a.swap(col, pivot);
        let p = a[col][col];
        if p == 0.0 {
            continue;
        }
        for row in 0..n {
            if row != col && a[row][col] != 0.0 {
                let f = a[row][col] / p;
                for k in col..=n {
                    a[row][k] -= f * a[col][k];
                }
            }
        }
    }
    (0..n)
        .map(|i| {
            if a[i][i] == 0.0 {
                0.0
            } else {
                a[i][n] / a[i][i]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_states() {
        let pi = stationary(&[vec![(1, 1.0)], vec![(0, 10.0)]]);
        assert!((pi[0] - 10.0 / 11.0).abs() < 1e-12);
    }
}
