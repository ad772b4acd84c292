//! A compact sort for the sorts the browser runs (start-up's sound index, the engine's rankings).

/// Heapsort. The standard library's sorts are fast but cost the browser several kilobytes per
/// element type; these sorts are small (at most ~1,500 patterns at start-up) and all by a total
/// order, so a compact unstable sort does.
pub(crate) fn sort_by<T>(v: &mut [T], less: &mut dyn FnMut(&T, &T) -> bool) {
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift_down(v, i, n, less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, less);
    }
}

fn sift_down<T>(v: &mut [T], mut root: usize, end: usize, less: &mut dyn FnMut(&T, &T) -> bool) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[root], &v[child]) {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heapsort() {
        let cases: [(&str, Vec<i32>); 6] = [
            ("empty", vec![]),
            ("one", vec![1]),
            ("sorted", (0..50).collect()),
            ("reversed", (0..50).rev().collect()),
            ("duplicates", vec![3, 1, 3, 2, 1, 3, 0, 0]),
            ("scrambled", (0..1000).map(|i| (i * 7919) % 1009).collect()),
        ];
        for (name, mut v) in cases {
            let mut want = v.clone();
            want.sort();
            sort_by(&mut v, &mut |a, b| a < b);
            assert_eq!(v, want, "{name}");
        }
    }
}
