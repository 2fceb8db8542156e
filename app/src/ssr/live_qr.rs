//! The join QR code, as inline SVG (dark modules on white, with the quiet zone), so a phone
//! camera finds the session's page from the projector.
use qrcode::render::svg;
use qrcode::QrCode;

/// An SVG of `url` as a QR code; empty when the URL cannot be encoded (it always can: our
/// own address and a six-character code).
pub fn svg(url: &str) -> String {
    match QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
        Err(_) => String::new(),
    }
}
