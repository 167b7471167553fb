//! QR codes as inline SVG, made at build time.

use qrcode::render::svg;
use qrcode::QrCode;

/// An inline SVG QR code for `url`, labelled for screen readers by `label`
/// (the label must be plain text without markup; it is escaped here).
pub fn svg(url: &str, label: &str) -> String {
    let Ok(code) = QrCode::new(url.as_bytes()) else {
        // Longer than any QR code can hold: the link beside it still works.
        return String::new();
    };
    let image = code
        .render::<svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    let body = image.split_once("?>").map(|(_, b)| b).unwrap_or(&image);
    let label = super::escape(label);
    body.replacen(
        "<svg ",
        &format!(r#"<svg role="img" aria-label="{label}" class="qr" "#),
        1,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn makes_labelled_svg() {
        let s = super::svg("https://example.org/a", "二维码<x>");
        assert!(
            s.starts_with("<svg role=\"img\" aria-label=\"二维码&lt;x&gt;\""),
            "{s}"
        );
        assert!(s.ends_with("</svg>"));
    }
}
