//! The one official-document frame (GB/T 9704 as far as a web page allows)
//! that every numbered document of the office shares: the notice, the
//! publicity, the results notice and each revocation. Each page unit fills
//! a [`DocumentView`]; `document.html` lays it out in the standard's order:
//! 发文机关标志, 文号, 标题, 主送, 正文, 附件说明, 署名, 成文日期.

use chrono::NaiveDate;
use serde::Serialize;

use super::chinese;
use crate::model::site::Site;

/// The parts of a document the frame shows around its body.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    /// 发文机关标志: `中国质量协会文件`.
    pub issuer_mark: String,
    /// 文号 as issued, when the document has one.
    pub number: Option<String>,
    /// 标题 as issued.
    pub title: String,
    /// 主送机关, when the document is addressed to someone (not a 公告 or 公示).
    pub addressee: Option<String>,
    /// 附件说明: what the document itself lists as its attachments, in order.
    pub annexes: Vec<AnnexView>,
    /// 署名: the issuing body.
    pub signer: String,
    /// 成文日期 in Chinese (2024年4月15日).
    pub date: String,
    /// 成文日期 as YYYY-MM-DD, for `<time datetime>`.
    pub iso_date: String,
}

/// One entry of a document's 附件说明.
#[derive(Debug, Clone, Serialize)]
pub struct AnnexView {
    /// Title as the document lists it.
    pub title: String,
    /// Its page, a download, or `#annex-N` when it follows the signature on the same page.
    pub url: String,
    /// Type and size of a download (`Word 文档，12 KB`), for the reader's choice.
    pub file_meta: Option<String>,
}

impl DocumentView {
    /// A document of the site's publisher, dated `date`, without addressee or attachments.
    pub fn new(site: &Site, number: Option<&str>, title: &str, date: NaiveDate) -> Self {
        DocumentView {
            issuer_mark: format!("{}文件", site.config.publisher),
            number: number.map(str::to_owned),
            title: title.to_owned(),
            addressee: None,
            annexes: Vec::new(),
            signer: site.config.publisher.clone(),
            date: chinese::date(date),
            iso_date: date.to_string(),
        }
    }

    /// The same, addressed to `addressee` (主送).
    pub fn to(mut self, addressee: &str) -> Self {
        self.addressee = Some(addressee.to_owned());
        self
    }

    /// The same, with an annex printed after the signature on this page.
    pub fn with_annex_below(mut self, title: String) -> Self {
        let n = self.annexes.len() + 1;
        self.annexes.push(AnnexView {
            title,
            url: format!("#annex-{n}"),
            file_meta: None,
        });
        self
    }
}
