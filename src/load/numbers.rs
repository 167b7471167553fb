//! 文号 (document numbers) of the whole site: each names one official
//! document, so a number used twice (typically a round folder copied from last
//! year) is an error at the second use, naming the first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Where each 文号 was first used, in loading order.
#[derive(Debug, Default)]
pub(super) struct Numbers {
    first: BTreeMap<String, (PathBuf, Option<usize>)>,
}

impl Numbers {
    /// Records `number`, used where `at` points (a diagnostic placed at the
    /// field, used only when the number was seen before).
    pub(super) fn claim(
        &mut self,
        root: &Path,
        number: &str,
        at: Diagnostic,
        diags: &mut Diagnostics,
    ) {
        // Spaces are not part of a 文号; `〔2024〕 50号` and `〔2024〕50号` are one.
        let key: String = number.chars().filter(|c| !c.is_whitespace()).collect();
        match self.first.get(&key) {
            None => {
                self.first.insert(key, (at.file, at.line));
            }
            Some((file, line)) => {
                let rel = file.strip_prefix(root).unwrap_or(file).display();
                let place = match line {
                    Some(l) => format!("{rel} 第 {l} 行"),
                    None => format!("{rel} 中"),
                };
                diags.push(
                    Diagnostic {
                        message: format!("文号“{number}”已在 {place}用过：每个文号只能对应一份文件"),
                        ..at
                    }
                    .help("复制上一年的文件夹后，要把通知、公示、结果和撤销公告的文号都换成本年度文件的文号"),
                );
            }
        }
    }
}
