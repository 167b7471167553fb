//! QR codes as inline SVG, made at build time.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::render::{svg, Renderer};
use qrcode::{bits, ec, EcLevel};

/// An inline SVG QR code for `url`, labelled for screen readers by `label`
/// (plain text; it is escaped here).
pub fn svg(url: &str, label: &str) -> String {
    let Some(colors) = modules(url) else {
        // Longer than any QR code can hold: the link beside it still works.
        return String::new();
    };
    let (colors, width) = colors;
    let image = Renderer::<svg::Color>::new(&colors, width, 4)
        .min_dimensions(160, 160)
        .build();
    let body = image.split_once("?>").map(|(_, b)| b).unwrap_or(&image);
    let label = super::escape(label);
    body.replacen(
        "<svg ",
        &format!(r#"<svg role="img" aria-label="{label}" class="qr" "#),
        1,
    )
}

/// The modules of the code, with one fixed mask: every mask decodes, and
/// scoring all eight (what `QrCode::new` does) was a third of a large build.
fn modules(url: &str) -> Option<(Vec<qrcode::Color>, usize)> {
    let level = EcLevel::M;
    let b = bits::encode_auto(url.as_bytes(), level).ok()?;
    let version = b.version();
    let (data, ecc) = ec::construct_codewords(&b.into_bytes(), version, level).ok()?;
    let mut canvas = Canvas::new(version, level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ecc);
    canvas.apply_mask(MaskPattern::Checkerboard);
    Some((canvas.into_colors(), version.width() as usize))
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

    #[test]
    fn same_modules_as_the_reference_encoder_up_to_the_mask() {
        // Same size as QrCode::new picks, so readers see a standard symbol.
        let url = "https://biaogan.caq.org.cn/2024/cases/hx-auto-parts/";
        let reference = qrcode::QrCode::new(url.as_bytes()).unwrap();
        let (ours, width) = super::modules(url).unwrap();
        assert_eq!(width, reference.width());
        assert_eq!(ours.len(), reference.to_colors().len());
    }

    #[test]
    fn the_fixed_mask_code_decodes_to_the_url() {
        let url = "https://biaogan.caq.org.cn/events/2024-09-lecture-beijing/";
        let (colors, width) = super::modules(url).unwrap();
        // Rasterise at 4 px per module with a 4-module quiet zone, then read it back.
        let (scale, quiet) = (4usize, 4usize);
        let size = (width + 2 * quiet) * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            let inside =
                (quiet..quiet + width).contains(&mx) && (quiet..quiet + width).contains(&my);
            let dark = inside && colors[(my - quiet) * width + (mx - quiet)] == qrcode::Color::Dark;
            if dark {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, url);
    }
}
