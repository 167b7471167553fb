//! QR codes as inline SVG, made at build time.

use std::fmt::Write;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{bits, ec, EcLevel};

/// Blank modules around the code, as the standard asks.
const QUIET: usize = 4;

/// An inline SVG QR code for `url`, labelled for screen readers by `label`
/// (plain text; it is escaped here).
///
/// One path of horizontal runs in module units: less than half the size of
/// a rectangle per module (qrcode's own SVG renderer: 9.5 KB of a 24 KB case
/// page, and a tenth of a build's time).
pub fn svg(url: &str, label: &str) -> String {
    let Some((colors, width)) = modules(url) else {
        // Longer than any QR code can hold: the link beside it still works.
        return String::new();
    };
    let n = width + 2 * QUIET;
    // At least 160 px, whole pixels per module.
    let px = n * 160usize.div_ceil(n);
    let label = super::escape(label);
    let mut out = String::with_capacity(width * width + 300);
    let _ = write!(
        out,
        r##"<svg role="img" aria-label="{label}" class="qr" xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 {n} {n}" shape-rendering="crispEdges"><rect width="{n}" height="{n}" fill="#fff"/><path fill="#000" d=""##
    );
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] != qrcode::Color::Dark {
                x += 1;
                continue;
            }
            let run = row[x..]
                .iter()
                .take_while(|c| **c == qrcode::Color::Dark)
                .count();
            let _ = write!(out, "M{} {}h{run}v1h-{run}z", x + QUIET, y + QUIET);
            x += run;
        }
    }
    out.push_str("\"/></svg>");
    out
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
    fn the_path_draws_exactly_the_dark_modules() {
        let url = "https://biaogan.caq.org.cn/2024/cases/hx-auto-parts/";
        let (colors, width) = super::modules(url).unwrap();
        let s = super::svg(url, "x");
        let d = s.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let n = width + 2 * super::QUIET;
        let mut drawn = vec![false; n * n];
        for part in d.split('M').filter(|p| !p.is_empty()) {
            // "x yhLv1h-Lz"
            let (xy, rest) = part.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let len: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            assert_eq!(rest, format!("{len}v1h-{len}z"));
            for i in x..x + len {
                assert!(!drawn[y * n + i], "drawn twice at {i},{y}");
                drawn[y * n + i] = true;
            }
        }
        for y in 0..n {
            for x in 0..n {
                let q = super::QUIET;
                let inside = (q..q + width).contains(&x) && (q..q + width).contains(&y);
                let dark = inside && colors[(y - q) * width + (x - q)] == qrcode::Color::Dark;
                assert_eq!(drawn[y * n + x], dark, "{x},{y}");
            }
        }
        assert!(s.contains(&format!("viewBox=\"0 0 {n} {n}\"")));
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
