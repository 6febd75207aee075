//! Photo uploads: the format is decided by the file's magic bytes (never by
//! the client's Content-Type), and the dimensions are read from the header so
//! the widget can reserve space before the image loads.

use serde::{Deserialize, Serialize};

/// Default upload cap: 5 MB.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Photos per testimonial.
pub const MAX_PER_TESTIMONIAL: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
}

impl ImageKind {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
        }
    }

    pub fn from_content_type(ct: &str) -> Option<Self> {
        match ct {
            "image/jpeg" => Some(Self::Jpeg),
            "image/png" => Some(Self::Png),
            "image/webp" => Some(Self::Webp),
            _ => None,
        }
    }
}

/// A recognised image: its kind and pixel size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
}

fn be16(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?])))
}
fn le16(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes([*b.get(i)?, *b.get(i + 1)?])))
}
fn be32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?))
}
fn le24(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from(*b.get(i)?) | u32::from(*b.get(i + 1)?) << 8 | u32::from(*b.get(i + 2)?) << 16)
}

/// Recognises JPEG, PNG and WebP and reads their dimensions. `None` for
/// anything else, including truncated or zero-sized images.
pub fn sniff(b: &[u8]) -> Option<Sniffed> {
    let s = if b.starts_with(b"\x89PNG\r\n\x1a\n") && b.get(12..16) == Some(b"IHDR") {
        Sniffed { kind: ImageKind::Png, width: be32(b, 16)?, height: be32(b, 20)? }
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg_size(b)?
    } else if b.get(0..4) == Some(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        webp(b)?
    } else {
        return None;
    };
    (s.width > 0 && s.height > 0).then_some(s)
}

fn jpeg_size(b: &[u8]) -> Option<Sniffed> {
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        // Fill bytes and standalone markers carry no length.
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if matches!(marker, 0x01 | 0xD0..=0xD9) {
            i += 2;
            continue;
        }
        let len = be16(b, i + 2)? as usize;
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) hold the size.
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            return Some(Sniffed { kind: ImageKind::Jpeg, height: be16(b, i + 5)?, width: be16(b, i + 7)? });
        }
        i += 2 + len;
    }
    None
}

fn webp(b: &[u8]) -> Option<Sniffed> {
    let kind = ImageKind::Webp;
    match b.get(12..16)? {
        b"VP8 " => Some(Sniffed { kind, width: le16(b, 26)? & 0x3FFF, height: le16(b, 28)? & 0x3FFF }),
        b"VP8L" => {
            let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
            Some(Sniffed { kind, width: (bits & 0x3FFF) + 1, height: ((bits >> 14) & 0x3FFF) + 1 })
        }
        b"VP8X" => Some(Sniffed { kind, width: le24(b, 24)? + 1, height: le24(b, 27)? + 1 }),
        _ => None,
    }
}

/// A photo as shown with a testimonial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoView {
    pub id: String,
    /// Path on the edge, e.g. `/v1/photos/<id>`.
    pub url: String,
    pub width: u32,
    pub height: u32,
}

#[cfg(test)]
pub(crate) mod samples {
    /// A 3x2 PNG header (enough for sniffing).
    pub fn png(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&[8, 6, 0, 0, 0]);
        v
    }

    pub fn jpeg(w: u16, h: u16) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        v.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        v.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&[0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
        v
    }

    pub fn webp_vp8x(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        v.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
        v.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn recognises_formats_and_sizes() {
        assert_eq!(sniff(&png(3, 2)), Some(Sniffed { kind: ImageKind::Png, width: 3, height: 2 }));
        assert_eq!(sniff(&jpeg(640, 480)), Some(Sniffed { kind: ImageKind::Jpeg, width: 640, height: 480 }));
        assert_eq!(sniff(&webp_vp8x(800, 600)), Some(Sniffed { kind: ImageKind::Webp, width: 800, height: 600 }));
    }

    #[test]
    fn refuses_non_images_and_disguises() {
        assert_eq!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert_eq!(sniff(b"GIF89a...."), None);
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(&png(0, 5)), None);
        assert_eq!(sniff(&png(3, 2)[..18]), None, "truncated");
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF]), None);
    }

    proptest! {
        #[test]
        fn never_panics_on_garbage(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = sniff(&b);
        }

        #[test]
        fn never_panics_on_damaged_headers(cut in 0usize..40, flip in 0usize..40, w in 1u16..5000, h in 1u16..5000) {
            for mut v in [jpeg(w, h), png(u32::from(w), u32::from(h)), webp_vp8x(u32::from(w), u32::from(h))] {
                if flip < v.len() { v[flip] ^= 0xFF; }
                v.truncate(cut.max(1));
                let _ = sniff(&v);
            }
        }
    }
}
