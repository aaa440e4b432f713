//! Rank metrics over graded judgments: nDCG@k, MRR@k and recall@k.
//!
//! A ranking is a list of paragraph ids, best first. Judgments map ids to grades (2 highly
//! relevant, 1 relevant); ids absent from the judgments have grade 0. Every function returns a
//! value in `0.0..=1.0`, and 0.0 (not NaN) when the query has no relevant paragraph at all, so
//! averages over a query set stay defined.

use std::collections::HashMap;

/// Graded judgments of one query: paragraph id → grade (1 or 2).
pub type Grades = HashMap<String, u8>;

/// The gain of a grade: `2^grade - 1`, so a highly relevant paragraph is worth three relevant
/// ones (the usual exponential gain of graded nDCG).
fn gain(grade: u8) -> f64 {
    (2f64).powi(i32::from(grade)) - 1.0
}

/// Discounted cumulative gain of a list of grades in rank order (ranks start at 1).
fn dcg(grades: impl Iterator<Item = u8>) -> f64 {
    // Start from +0.0: an empty f64 sum is -0.0, which would print as "-0.000".
    grades
        .enumerate()
        .map(|(i, g)| gain(g) / ((i as f64) + 2.0).log2())
        .fold(0.0, |a, b| a + b)
}

/// nDCG@k: the DCG of the first `k` results divided by the DCG of the ideal ranking of all
/// judged paragraphs.
pub fn ndcg_at(ranking: &[String], grades: &Grades, k: usize) -> f64 {
    let mut ideal: Vec<u8> = grades.values().copied().filter(|&g| g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg = dcg(ideal.into_iter().take(k));
    if idcg == 0.0 {
        return 0.0;
    }
    let got = dcg(ranking
        .iter()
        .take(k)
        .map(|id| grades.get(id).copied().unwrap_or(0)));
    got / idcg
}

/// MRR@k: the reciprocal rank of the first relevant (grade ≥ 1) result within the first `k`,
/// or 0.0 when there is none.
pub fn mrr_at(ranking: &[String], grades: &Grades, k: usize) -> f64 {
    ranking
        .iter()
        .take(k)
        .position(|id| grades.get(id).copied().unwrap_or(0) > 0)
        .map_or(0.0, |i| 1.0 / (i as f64 + 1.0))
}

/// Recall@k: the share of relevant paragraphs (grade ≥ 1) found within the first `k` results.
pub fn recall_at(ranking: &[String], grades: &Grades, k: usize) -> f64 {
    let relevant = grades.values().filter(|&&g| g > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    let found = ranking
        .iter()
        .take(k)
        .filter(|id| grades.get(*id).copied().unwrap_or(0) > 0)
        .count();
    found as f64 / relevant as f64
}

/// The three figures the evaluation reports for one query.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    /// nDCG@10.
    pub ndcg10: f64,
    /// MRR@10.
    pub mrr10: f64,
    /// Recall@20.
    pub recall20: f64,
}

impl Scores {
    /// Scores one ranking.
    pub fn of(ranking: &[String], grades: &Grades) -> Scores {
        Scores {
            ndcg10: ndcg_at(ranking, grades, 10),
            mrr10: mrr_at(ranking, grades, 10),
            recall20: recall_at(ranking, grades, 20),
        }
    }

    /// The arithmetic mean of several queries' scores (all zero for an empty slice).
    pub fn mean(all: &[Scores]) -> Scores {
        if all.is_empty() {
            return Scores::default();
        }
        let n = all.len() as f64;
        Scores {
            ndcg10: all.iter().map(|s| s.ndcg10).sum::<f64>() / n,
            mrr10: all.iter().map(|s| s.mrr10).sum::<f64>() / n,
            recall20: all.iter().map(|s| s.recall20).sum::<f64>() / n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn grades(list: &[(&str, u8)]) -> Grades {
        list.iter().map(|(id, g)| (id.to_string(), *g)).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn perfect_ranking_scores_one() {
        let g = grades(&[("a", 2), ("b", 1)]);
        let r = ids(&["a", "b", "x"]);
        assert!(close(ndcg_at(&r, &g, 10), 1.0));
        assert!(close(mrr_at(&r, &g, 10), 1.0));
        assert!(close(recall_at(&r, &g, 20), 1.0));
    }

    #[test]
    fn swapped_grades_lose_by_the_discount() {
        // Ideal: a(2) at rank 1, b(1) at rank 2 → 3/1 + 1/log2(3).
        // Got:   b(1) at rank 1, a(2) at rank 2 → 1/1 + 3/log2(3).
        let g = grades(&[("a", 2), ("b", 1)]);
        let r = ids(&["b", "a"]);
        let ideal = 3.0 + 1.0 / 3f64.log2();
        let got = 1.0 + 3.0 / 3f64.log2();
        assert!(close(ndcg_at(&r, &g, 10), got / ideal));
        assert!(ndcg_at(&r, &g, 10) < 1.0);
    }

    #[test]
    fn results_beyond_the_cutoff_do_not_count() {
        let g = grades(&[("a", 1)]);
        let mut r: Vec<String> = (0..10).map(|i| format!("x{i}")).collect();
        r.push("a".into());
        assert_eq!(ndcg_at(&r, &g, 10), 0.0);
        assert_eq!(mrr_at(&r, &g, 10), 0.0);
        assert!(close(ndcg_at(&r, &g, 11), 1.0 / 12f64.log2()));
        assert!(close(recall_at(&r, &g, 20), 1.0));
        assert_eq!(recall_at(&r, &g, 10), 0.0);
    }

    #[test]
    fn mrr_is_the_first_relevant_rank() {
        let g = grades(&[("a", 1), ("b", 2)]);
        assert!(close(
            mrr_at(&ids(&["x", "y", "b", "a"]), &g, 10),
            1.0 / 3.0
        ));
    }

    #[test]
    fn recall_counts_relevant_only() {
        let g = grades(&[("a", 2), ("b", 1), ("c", 1), ("d", 2)]);
        assert!(close(recall_at(&ids(&["a", "x", "c"]), &g, 20), 0.5));
    }

    #[test]
    fn ideal_is_cut_at_k_too() {
        // Twelve relevant paragraphs; a ranking with the ten best at the top is ideal at 10.
        let list: Vec<(String, u8)> = (0..12).map(|i| (format!("p{i}"), 1)).collect();
        let g: Grades = list.into_iter().collect();
        let r: Vec<String> = (0..10).map(|i| format!("p{i}")).collect();
        assert!(close(ndcg_at(&r, &g, 10), 1.0));
        assert!(close(recall_at(&r, &g, 20), 10.0 / 12.0));
    }

    #[test]
    fn no_relevant_paragraphs_scores_zero_not_nan() {
        let g = Grades::new();
        let r = ids(&["a"]);
        let s = Scores::of(&r, &g);
        assert_eq!(s, Scores::default());
    }

    #[test]
    fn empty_ranking_scores_zero() {
        let g = grades(&[("a", 2)]);
        assert_eq!(Scores::of(&[], &g), Scores::default());
    }

    #[test]
    fn mean_averages_each_figure() {
        let a = Scores {
            ndcg10: 1.0,
            mrr10: 0.5,
            recall20: 0.0,
        };
        let b = Scores {
            ndcg10: 0.0,
            mrr10: 0.5,
            recall20: 1.0,
        };
        let m = Scores::mean(&[a, b]);
        assert!(close(m.ndcg10, 0.5) && close(m.mrr10, 0.5) && close(m.recall20, 0.5));
        assert_eq!(Scores::mean(&[]), Scores::default());
    }
}
