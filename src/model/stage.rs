//! Where a case stands in the selection procedure (管理办法 第五章).

use serde::{Deserialize, Serialize};

/// The procedure stage of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 已申报: application received.
    Applied,
    /// 未通过资格审查: failed the eligibility check.
    Ineligible,
    /// 通过资格审查.
    Qualified,
    /// 通过资料评审, shortlisted for the defence review.
    Shortlisted,
    /// 通过答辩评审, on the recommended list (publicity).
    Recommended,
    /// 批准公布, on the final list.
    Approved,
    /// 已撤回: withdrawn by the applicant.
    Withdrawn,
}

impl Stage {
    /// Rank along the main path; `None` for stages off it (ineligible, withdrawn).
    fn rank(self) -> Option<u8> {
        match self {
            Stage::Applied => Some(0),
            Stage::Qualified => Some(1),
            Stage::Shortlisted => Some(2),
            Stage::Recommended => Some(3),
            Stage::Approved => Some(4),
            Stage::Ineligible | Stage::Withdrawn => None,
        }
    }

    /// Whether the case has reached `other` on the main path.
    pub fn at_least(self, other: Stage) -> bool {
        match (self.rank(), other.rank()) {
            (Some(a), Some(b)) => a >= b,
            _ => false,
        }
    }

    /// Passed the eligibility check: the ISO 9001 rule applies (第八条（三）).
    pub fn is_qualified(self) -> bool {
        self.at_least(Stage::Qualified)
    }

    /// Appears on the publicity list (第十八条).
    pub fn is_publicised(self) -> bool {
        self.at_least(Stage::Recommended)
    }

    /// The stage in the Chinese wording of the rules (已申报, 未通过资格审查, ...).
    pub fn label(self) -> &'static str {
        match self {
            Stage::Applied => "已申报",
            Stage::Ineligible => "未通过资格审查",
            Stage::Qualified => "通过资格审查",
            Stage::Shortlisted => "通过资料评审",
            Stage::Recommended => "推荐名单",
            Stage::Approved => "正式公布",
            Stage::Withdrawn => "已撤回",
        }
    }
}

/// The outcome of an objection raised during publicity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 异议不成立.
    Dismissed,
    /// 异议成立: the case does not go on the final list.
    Upheld,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_path_order() {
        assert!(Stage::Approved.at_least(Stage::Recommended));
        assert!(Stage::Recommended.is_publicised());
        assert!(!Stage::Shortlisted.is_publicised());
        assert!(Stage::Qualified.is_qualified());
        assert!(!Stage::Applied.is_qualified());
    }

    #[test]
    fn off_path_stages_never_qualify() {
        for s in [Stage::Ineligible, Stage::Withdrawn] {
            assert!(!s.is_qualified());
            assert!(!s.is_publicised());
            assert!(!s.at_least(Stage::Applied));
        }
    }

    #[test]
    fn unknown_stage_is_rejected_with_the_allowed_list() {
        let err = serde_yaml::from_str::<Stage>("aproved")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown variant `aproved`"), "{err}");
        assert!(err.contains("approved"), "{err}");
    }
}
