//! Photo uploads: the format is decided by the file's magic bytes (never by
//! the client's Content-Type), the dimensions are read from the header (so
//! the widget can reserve space before the image loads) and bounded, and
//! every piece of metadata is stripped before anything is stored or served
//! ([`clean`]).

use serde::{Deserialize, Serialize};

/// Default upload cap: 5 MB.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Photos per testimonial.
pub const MAX_PER_TESTIMONIAL: usize = 3;
/// The formats a photo may be in, as a file input's `accept` lists them:
/// every [`ImageKind`]'s content type.
pub const ACCEPT: &str = "image/jpeg,image/png,image/webp";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// The longest side a photo may have, px (a 48 MP phone photo is 8064 px).
pub const MAX_SIDE: u32 = 12_000;
/// The most pixels a photo may have (50 MP): what a browser decodes into
/// memory is width x height x 4 bytes, 200 MB here.
pub const MAX_PIXELS: u64 = 50_000_000;
/// The widest aspect ratio, long side over short side (a phone panorama
/// is about 4:1; a 1x60000 strip is not a photo).
pub const MAX_ASPECT: u32 = 6;

/// Checks a photo's pixel size against [`MAX_SIDE`], [`MAX_PIXELS`] and
/// [`MAX_ASPECT`].
///
/// # Errors
/// A sentence naming the limit that was passed.
pub fn check_size(width: u32, height: u32) -> Result<(), String> {
    let (long, short) = (width.max(height), width.min(height).max(1));
    if long > MAX_SIDE {
        return Err(format!("a photo is at most {MAX_SIDE} px on its longest side (this one is {width}x{height})"));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!("a photo has at most {} megapixels (this one is {width}x{height})", MAX_PIXELS / 1_000_000));
    }
    if u64::from(long) > u64::from(short) * u64::from(MAX_ASPECT) {
        return Err(format!("a photo is at most {MAX_ASPECT} times as long as it is wide (this one is {width}x{height})"));
    }
    Ok(())
}

/// A photo ready to store: metadata stripped, size as shown.
#[cfg(feature = "media")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    pub bytes: Vec<u8>,
    pub kind: ImageKind,
    /// As displayed: a JPEG whose EXIF orientation turns it a quarter has
    /// its width and height swapped.
    pub width: u32,
    pub height: u32,
}

/// Recognises the photo, bounds its size and strips its metadata:
/// - JPEG: every APPn segment but JFIF (APP0), the ICC colour profile
///   (APP2 `ICC_PROFILE`) and Adobe's colour transform (APP14); every
///   comment (COM). That removes EXIF (camera, time, GPS position), XMP
///   and maker notes. The EXIF orientation alone is written back as a
///   minimal EXIF block (one tag), so a phone photo still shows upright.
/// - JPEG, after the first scan too: APPn and COM between progressive
///   scans, and everything after the end-of-image marker (a phone's second
///   image or gain map, a motion photo's video). JFIF is rebuilt without
///   its thumbnail.
/// - PNG: every ancillary chunk but colour and transparency ones (`tRNS`,
///   `gAMA`, `cHRM`, `sRGB`, `iCCP`, `sBIT`, `pHYs`, `bKGD`): text (`tEXt`,
///   `zTXt`, `iTXt`), `eXIf`, `tIME` and private chunks go. Animated PNGs
///   are refused (a photo is one frame).
/// - WebP: every chunk but the image, alpha and colour profile (`EXIF`,
///   `XMP `, `C2PA` and unknown chunks go), and their flags in `VP8X`;
///   animated WebP (no image chunk left) is refused by the final check.
///
/// Containers are read and written with the `img-parts` crate, EXIF with
/// `kamadak-exif`; pixels are never decoded or re-encoded (no quality loss,
/// no decoder on the edge).
///
/// # Errors
/// `unsupported_media_type` for anything but JPEG, PNG or WebP (or a file
/// too damaged to parse); `validation_failed` (field `photo`) for a size
/// over the limits.
#[cfg(feature = "media")]
pub fn clean(bytes: &[u8]) -> Result<Cleaned, crate::ApiError> {
    use crate::{ApiError, ErrorCode};
    let unsupported = || ApiError::new(ErrorCode::UnsupportedMediaType, "photos must be JPEG, PNG or WebP images");
    let found = sniff(bytes).ok_or_else(unsupported)?;
    check_size(found.width, found.height).map_err(|m| ApiError::field(ErrorCode::ValidationFailed, "photo", m))?;
    let input = img_parts::Bytes::copy_from_slice(bytes);
    let (out, turned) = match found.kind {
        ImageKind::Jpeg => strip_jpeg(input).ok_or_else(unsupported)?,
        ImageKind::Png => (strip_png(input).ok_or_else(unsupported)?, false),
        ImageKind::Webp => (strip_webp(input).ok_or_else(unsupported)?, false),
    };
    // What is stored must still be the image that was checked.
    let again = sniff(&out).filter(|s| s.kind == found.kind && s.width == found.width && s.height == found.height).ok_or_else(unsupported)?;
    let (width, height) = if turned { (again.height, again.width) } else { (again.width, again.height) };
    Ok(Cleaned { bytes: out, kind: found.kind, width, height })
}

/// The EXIF orientation (1-8, TIFF tag 274) of a raw EXIF block.
#[cfg(feature = "media")]
fn orientation(exif: &[u8]) -> Option<u16> {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let parsed = reader.read_raw(exif.to_vec()).or_else(|e| e.distill_partial_result(|_| {})).ok()?;
    let field = parsed.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    u16::try_from(field.value.get_uint(0)?).ok().filter(|o| (1..=8).contains(o))
}

/// A minimal EXIF block holding only the orientation.
#[cfg(feature = "media")]
fn orientation_only(o: u16) -> Option<Vec<u8>> {
    let field = exif::Field { tag: exif::Tag::Orientation, ifd_num: exif::In::PRIMARY, value: exif::Value::Short(vec![o]) };
    let mut writer = exif::experimental::Writer::new();
    writer.push_field(&field);
    let mut out = std::io::Cursor::new(Vec::new());
    writer.write(&mut out, false).ok()?;
    Some(out.into_inner())
}

/// Returns the stripped JPEG and whether it shows turned a quarter.
#[cfg(feature = "media")]
fn strip_jpeg(input: img_parts::Bytes) -> Option<(Vec<u8>, bool)> {
    use img_parts::jpeg::{markers, Jpeg, JpegSegment};
    use img_parts::ImageEXIF;
    let mut jpeg = Jpeg::from_bytes(input).ok()?;
    let turn = jpeg.exif().and_then(|e| orientation(&e)).filter(|o| *o != 1);
    let mut kept = Vec::with_capacity(jpeg.segments().len() + 1);
    for s in jpeg.segments().iter() {
        match s.marker() {
            // JFIF, rebuilt without its thumbnail (version, units, density).
            markers::APP0 => {
                let c = s.contents();
                if c.starts_with(b"JFIF\0") && c.len() >= 12 {
                    let mut jfif = c.slice(..12).to_vec();
                    jfif.extend_from_slice(&[0, 0]);
                    kept.push(JpegSegment::new_with_contents(markers::APP0, jfif.into()));
                }
            }
            markers::APP2 if s.contents().starts_with(b"ICC_PROFILE\0") => kept.push(s.clone()),
            markers::APP14 if s.contents().starts_with(b"Adobe") => kept.push(s.clone()),
            m if (markers::APP0..=markers::APP15).contains(&m) || m == markers::COM => {}
            _ => kept.push(s.clone()),
        }
    }
    if let Some(o) = turn {
        // Right after JFIF (or SOI): never past the frame and scan headers.
        let at = usize::from(kept.first().is_some_and(|s| s.marker() == markers::APP0));
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(orientation_only(o)?);
        kept.insert(at, JpegSegment::new_with_contents(markers::APP1, app1.into()));
    }
    *jpeg.segments_mut() = kept;
    let out = strip_scans(&jpeg.encoder().bytes())?;
    Some((out, turn.is_some_and(|o| o >= 5)))
}

/// `img-parts` keeps everything after the first scan header as one opaque
/// block: further scans of a progressive JPEG, with APPn and COM segments
/// between them, and whatever follows the end of the image (a phone's
/// second image or gain map with its own EXIF, a motion photo's video).
/// This walks that part by its markers (ITU T.81 annex B): entropy-coded
/// data, `FF00` stuffing and `RSTn` are copied; table and scan headers
/// kept; APPn and COM dropped; the file ends at the first EOI.
#[cfg(feature = "media")]
fn strip_scans(b: &[u8]) -> Option<Vec<u8>> {
    let be16 = |i: usize| Some(usize::from(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?])));
    // Headers up to and including the first SOS segment.
    let mut i = 2;
    loop {
        if *b.get(i)? != 0xFF {
            return None;
        }
        let marker = *b.get(i + 1)?;
        let len = be16(i + 2)?;
        i += 2 + len;
        if marker == 0xDA {
            break;
        }
    }
    let mut out = b.get(..i)?.to_vec();
    while i < b.len() {
        let byte = b[i];
        if byte != 0xFF {
            out.push(byte);
            i += 1;
            continue;
        }
        let marker = *b.get(i + 1)?;
        match marker {
            0x00 | 0xD0..=0xD7 => {
                out.extend_from_slice(&b[i..i + 2]);
                i += 2;
            }
            0xFF => i += 1,
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Some(out);
            }
            0xE0..=0xEF | 0xFE => i += 2 + be16(i + 2)?,
            _ => {
                let end = i + 2 + be16(i + 2)?;
                out.extend_from_slice(b.get(i..end)?);
                i = end;
            }
        }
    }
    None
}

#[cfg(feature = "media")]
fn strip_png(input: img_parts::Bytes) -> Option<Vec<u8>> {
    const KEEP: [&[u8; 4]; 12] = [b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs", b"bKGD"];
    let mut png = img_parts::png::Png::from_bytes(input).ok()?;
    if png.chunk_by_type(*b"acTL").is_some() {
        return None; // animated (APNG): a photo is one frame
    }
    png.chunks_mut().retain(|c| KEEP.contains(&&c.kind()));
    Some(png.encoder().bytes().to_vec())
}

#[cfg(feature = "media")]
fn strip_webp(input: img_parts::Bytes) -> Option<Vec<u8>> {
    use img_parts::riff::{RiffChunk, RiffContent};
    use img_parts::webp::{WebP, CHUNK_ALPH, CHUNK_ICCP, CHUNK_VP8, CHUNK_VP8L, CHUNK_VP8X};
    let mut webp = WebP::from_bytes(input).ok()?;
    if !webp.has_chunk(CHUNK_VP8) && !webp.has_chunk(CHUNK_VP8L) {
        return None; // animated (frames in ANMF chunks): a photo is one frame
    }
    // Image data, alpha and colour profile only: EXIF, XMP and every other
    // chunk (C2PA provenance, unknown ones) go.
    webp.chunks_mut().retain(|c| [CHUNK_VP8X, CHUNK_VP8, CHUNK_VP8L, CHUNK_ALPH, CHUNK_ICCP].contains(&c.id()));
    // VP8X flags (WebP container spec): bit 3 EXIF, bit 2 XMP, bit 1 animation.
    if let Some(i) = webp.chunks().iter().position(|c| c.id() == CHUNK_VP8X) {
        let mut data = webp.chunks()[i].content().data()?.to_vec();
        *data.first_mut()? &= !0b0000_1110;
        webp.chunks_mut()[i] = RiffChunk::new(CHUNK_VP8X, RiffContent::Data(data.into()));
    }
    Some(webp.encoder().bytes().to_vec())
}

/// A photo as shown with a testimonial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoView {
    pub id: String,
    /// Path on the edge, e.g. `/v1/photos/<id>`.
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// How long a signed photo URL works ([`signed_url`]): until the end of
/// the hour after the one it was given in, so 1 to 2 hours (a link passed on
/// stops working within that). Every URL given for a photo within one hour
/// is the same text: a browser that keeps the photo (up to 5 minutes,
/// `photos::get`) finds it under the same URL.
pub const SIGNED_URL_HOURS: i64 = 1;

/// Seconds a server's clock may be behind the one that signed a URL.
const CLOCK_SKEW_S: i64 = 60;

/// Whom a signed photo URL was given to, and so what it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedFor {
    /// A member of the private group whose thread shows the photo: it opens
    /// while the thread is shown.
    Members,
    /// The thread's author (their own post waiting for moderation, or their
    /// data download, GDPR Art. 15): it opens while the thread is shown or
    /// waiting, not once a moderator hid or deleted it.
    Author,
}

impl SignedFor {
    /// The label of the key derived for these URLs: a URL given to members
    /// never passes as an author's.
    fn label(self) -> &'static str {
        match self {
            Self::Members => "kindred photo-url key v1",
            Self::Author => "kindred photo-url author key v1",
        }
    }
}

fn hmac16(key: &[u8], message: &str) -> Option<[u8; 16]> {
    use hmac::{Hmac, Mac};
    let mut m = Hmac::<sha2::Sha256>::new_from_slice(key).ok()?;
    m.update(message.as_bytes());
    let digest = m.finalize().into_bytes();
    digest.get(..16)?.try_into().ok()
}

/// The signature of `id` until `expires_s`: HMAC-SHA256 under a key of its
/// own, derived from the deployment's secret (so no other use of that secret
/// can make one). `None` for a secret shorter than 32 bytes: with no real
/// secret nothing is signed, and nothing signed is taken (fail closed).
fn signature(secret: &[u8], to: SignedFor, id: &str, expires_s: i64) -> Option<String> {
    if secret.len() < crate::limits::IDENTITY_SECRET_MIN_BYTES {
        return None;
    }
    let key = hmac16(secret, to.label())?;
    Some(crate::auth::hex(&hmac16(&key, &format!("{id}:{expires_s}"))?))
}

/// A URL for a photo that is not public to everyone, given to whom `to`
/// says: `/v1/photos/{id}?expires={unix seconds}&sig={32 hex}`, 16 bytes of
/// HMAC-SHA256 over `{id}:{expires}` with a key derived from the
/// deployment's secret. `now_ms` is unix milliseconds. An `<img>` sends no
/// member token, so the URL itself shows that the edge gave the photo out,
/// for [`SIGNED_URL_HOURS`] to one more hour; anyone it is passed to can
/// use it until then. `None` when the secret is shorter than 32 bytes (no
/// secret configured): the photo then opens with the brand's admin key only.
pub fn signed_url(secret: &[u8], to: SignedFor, id: &str, now_ms: i64) -> Option<String> {
    let hour = now_ms.div_euclid(3_600_000);
    let expires_s = (hour + 1 + SIGNED_URL_HOURS) * 3600;
    Some(format!("/v1/photos/{id}?expires={expires_s}&sig={}", signature(secret, to, id, expires_s)?))
}

/// Whom a signed photo URL was given to and the seconds it still works (at
/// least 1), from its `expires` and `sig` query values; `None` when either
/// is missing, not written as [`signed_url`] writes it (digits, no sign, no
/// leading zero; lowercase hex), past, further ahead than it ever gives,
/// not signed for `id`, or when there is no secret to check it with.
pub fn signed_url_left(secret: &[u8], id: &str, expires: Option<&str>, sig: Option<&str>, now_ms: i64) -> Option<(SignedFor, i64)> {
    let expires = expires?;
    let canonical = !expires.is_empty() && expires.len() <= 18 && !expires.starts_with('0') && expires.bytes().all(|b| b.is_ascii_digit());
    if !canonical {
        return None;
    }
    let expires_s: i64 = expires.parse().ok()?;
    let sig = sig?;
    let left = expires_s.checked_sub(now_ms.div_euclid(1000))?;
    if left < 1 || left > (SIGNED_URL_HOURS + 1) * 3600 + CLOCK_SKEW_S {
        return None;
    }
    [SignedFor::Members, SignedFor::Author].into_iter().find_map(|to| {
        let expected = signature(secret, to, id, expires_s)?;
        crate::auth::constant_time_eq(expected.as_bytes(), sig.as_bytes()).then_some((to, left))
    })
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

/// Real image files with real metadata, made the way phones and editors
/// make them, for tests here and in the HTTP suite (`samples` feature).
#[cfg(any(test, feature = "samples"))]
#[allow(clippy::expect_used, clippy::unwrap_used)] // test support: a broken sample should fail loudly
pub mod real {
    use image::{ImageEncoder, RgbImage};

    /// Words planted in every sample's metadata; none may survive `clean`.
    pub const PLANTED: [&str; 5] = ["Kindred Test Phone", "Pixel 9 Secret", "secret comment", "xmpmeta", "48.8584"];

    fn pixels(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, 128]))
    }

    /// EXIF as a phone writes it: make, model, time, orientation and the
    /// GPS position of the Eiffel Tower (48.8584 N, 2.2945 E).
    pub fn phone_exif(orientation: u16) -> Vec<u8> {
        use exif::{Field, In, Rational, Tag, Value};
        let r = |n: u32, d: u32| Rational { num: n, denom: d };
        let fields = [
            Field { tag: Tag::Make, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"Kindred Test Phone".to_vec()]) },
            Field { tag: Tag::Model, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"Pixel 9 Secret".to_vec()]) },
            Field { tag: Tag::Orientation, ifd_num: In::PRIMARY, value: Value::Short(vec![orientation]) },
            Field { tag: Tag::DateTimeOriginal, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"2026:11:30 09:15:00".to_vec()]) },
            Field { tag: Tag::GPSLatitudeRef, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"N".to_vec()]) },
            Field { tag: Tag::GPSLatitude, ifd_num: In::PRIMARY, value: Value::Rational(vec![r(48, 1), r(51, 1), r(3024, 100)]) },
            Field { tag: Tag::GPSLongitudeRef, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"E".to_vec()]) },
            Field { tag: Tag::GPSLongitude, ifd_num: In::PRIMARY, value: Value::Rational(vec![r(2, 1), r(17, 1), r(4020, 100)]) },
            Field { tag: Tag::ImageDescription, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"48.8584 N".to_vec()]) },
        ];
        let mut w = exif::experimental::Writer::new();
        for f in &fields {
            w.push_field(f);
        }
        let mut out = std::io::Cursor::new(Vec::new());
        w.write(&mut out, false).expect("EXIF");
        out.into_inner()
    }

    const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description exif:GPSLatitude='48.8584'/></rdf:RDF></x:xmpmeta>";

    /// A phone photo: JPEG with EXIF (GPS, camera, orientation), XMP and a comment.
    pub fn phone_jpeg(w: u32, h: u32, orientation: u16) -> Vec<u8> {
        use img_parts::jpeg::{markers, Jpeg, JpegSegment};
        use img_parts::ImageEXIF;
        let mut raw = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut raw, 80).write_image(&pixels(w, h), w, h, image::ExtendedColorType::Rgb8).expect("JPEG");
        let mut jpeg = Jpeg::from_bytes(raw.into()).expect("parse JPEG");
        jpeg.set_exif(Some(phone_exif(orientation).into()));
        jpeg.segments_mut().insert(2, JpegSegment::new_with_contents(markers::APP1, XMP.into()));
        jpeg.segments_mut().insert(3, JpegSegment::new_with_contents(markers::COM, b"secret comment".as_slice().into()));
        jpeg.encoder().bytes().to_vec()
    }

    /// A PNG with text chunks and an `eXIf` chunk.
    pub fn png_with_metadata(w: u32, h: u32) -> Vec<u8> {
        use img_parts::png::{Png, PngChunk};
        let mut raw = Vec::new();
        image::codecs::png::PngEncoder::new(&mut raw).write_image(&pixels(w, h), w, h, image::ExtendedColorType::Rgb8).expect("PNG");
        let mut png = Png::from_bytes(raw.into()).expect("parse PNG");
        let at = 1;
        png.chunks_mut().insert(at, PngChunk::new(*b"tEXt", b"Comment\0secret comment".as_slice().into()));
        png.chunks_mut().insert(at, PngChunk::new(*b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>".as_slice().into()));
        png.chunks_mut().insert(at, PngChunk::new(*b"eXIf", phone_exif(1).into()));
        png.encoder().bytes().to_vec()
    }

    /// A lossless WebP with EXIF and XMP chunks (VP8X flags set).
    pub fn webp_with_metadata(w: u32, h: u32) -> Vec<u8> {
        use img_parts::riff::{RiffChunk, RiffContent};
        use img_parts::webp::{WebP, CHUNK_VP8X, CHUNK_XMP};
        use img_parts::ImageEXIF;
        let mut raw = Vec::new();
        image::codecs::webp::WebPEncoder::new_lossless(&mut raw).write_image(&pixels(w, h), w, h, image::ExtendedColorType::Rgb8).expect("WebP");
        // The container as cwebp writes it with metadata: VP8X first.
        let mut vp8x = vec![0b0000_1100u8, 0, 0, 0];
        vp8x.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
        vp8x.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
        let mut webp = WebP::from_bytes(raw.into()).expect("parse WebP");
        webp.chunks_mut().insert(0, RiffChunk::new(CHUNK_VP8X, RiffContent::Data(vp8x.into())));
        webp.set_exif(Some(phone_exif(1).into()));
        webp.chunks_mut().push(RiffChunk::new(CHUNK_XMP, RiffContent::Data(XMP.into())));
        webp.encoder().bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;
    use proptest::prelude::*;

    const SECRET: &[u8] = b"a deployment secret, 32 bytes or more";
    const ID: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn accept_lists_every_kind() {
        let kinds = [ImageKind::Jpeg, ImageKind::Png, ImageKind::Webp];
        assert_eq!(ACCEPT, kinds.map(ImageKind::content_type).join(","));
        for ct in ACCEPT.split(',') {
            assert!(ImageKind::from_content_type(ct).is_some(), "{ct}");
        }
    }

    fn signed_query(url: &str) -> (Option<String>, Option<String>) {
        let q = url.split_once('?').map_or("", |(_, q)| q);
        let get = |k: &str| q.split('&').find_map(|kv| kv.strip_prefix(k).and_then(|v| v.strip_prefix('='))).map(str::to_owned);
        (get("expires"), get("sig"))
    }

    #[test]
    fn signed_urls_work_for_one_to_two_hours_and_for_their_photo_only() {
        let hour_start = 1_764_000_000_000 - 1_764_000_000_000 % 3_600_000;
        let now = hour_start + 1_234_567;
        let url = signed_url(SECRET, SignedFor::Members, ID, now).expect("a secret");
        assert!(url.starts_with(&format!("/v1/photos/{ID}?expires=")), "{url}");
        let (e, s) = signed_query(&url);
        let (e, s) = (e.as_deref(), s.as_deref());
        let (to, left) = signed_url_left(SECRET, ID, e, s, now).expect("valid now");
        assert_eq!(to, SignedFor::Members);
        assert!((3600..=7200).contains(&left), "{left}");
        // The same text all hour (the browser's cache), another the next.
        assert_eq!(signed_url(SECRET, SignedFor::Members, ID, hour_start).as_deref(), Some(url.as_str()));
        assert_eq!(signed_url(SECRET, SignedFor::Members, ID, hour_start + 3_599_999).as_deref(), Some(url.as_str()));
        assert_ne!(signed_url(SECRET, SignedFor::Members, ID, hour_start + 3_600_000).as_deref(), Some(url.as_str()));
        // Still good until its expiry, not from then on.
        let expires: i64 = e.unwrap_or_default().parse().unwrap_or_default();
        assert_eq!(expires * 1000, hour_start + 2 * 3_600_000);
        assert_eq!(signed_url_left(SECRET, ID, e, s, expires * 1000 - 1000), Some((SignedFor::Members, 1)));
        assert_eq!(signed_url_left(SECRET, ID, e, s, expires * 1000), None);
        // Not for another photo, another secret, a changed expiry or signature.
        assert_eq!(signed_url_left(SECRET, "fedcba9876543210fedcba9876543210", e, s, now), None);
        assert_eq!(signed_url_left(b"another secret, long enough for it", ID, e, s, now), None);
        let sooner = (expires - 3600).to_string();
        assert_eq!(signed_url_left(SECRET, ID, Some(&sooner), s, now), None);
        let mut bad = s.unwrap_or_default().to_owned();
        bad.replace_range(0..1, if bad.starts_with('0') { "1" } else { "0" });
        assert_eq!(signed_url_left(SECRET, ID, e, Some(&bad), now), None);
        assert_eq!(signed_url_left(SECRET, ID, e, Some(""), now), None);
        // Missing or malformed parts.
        assert_eq!(signed_url_left(SECRET, ID, None, s, now), None);
        assert_eq!(signed_url_left(SECRET, ID, e, None, now), None);
        for odd in ["soon", "-1", "", "99999999999999999999", "1e9"] {
            assert_eq!(signed_url_left(SECRET, ID, Some(odd), s, now), None, "{odd}");
        }
        // The same number written another way is not the URL given.
        for spelling in [format!("+{expires}"), format!("0{expires}"), format!("000000000000000000{expires}"), format!(" {expires}")] {
            assert_eq!(signed_url_left(SECRET, ID, Some(&spelling), s, now), None, "{spelling}");
        }
        assert_eq!(signed_url_left(SECRET, ID, e, Some(&s.unwrap_or_default().to_uppercase()), now), None);
        // A signature made to last longer than the edge ever gives is refused.
        let far = expires + 24 * 3600;
        let forged = signature(SECRET, SignedFor::Members, ID, far);
        assert_eq!(signed_url_left(SECRET, ID, Some(&far.to_string()), forged.as_deref(), now), None);
        // A server a little behind the signer's clock still takes it.
        assert!(signed_url_left(SECRET, ID, e, s, hour_start - 30_000).is_some());
    }

    #[test]
    fn an_authors_url_and_a_members_url_are_told_apart() {
        let now = 1_764_000_000_000;
        let members = signed_url(SECRET, SignedFor::Members, ID, now).unwrap_or_default();
        let author = signed_url(SECRET, SignedFor::Author, ID, now).unwrap_or_default();
        assert_ne!(members, author);
        for (url, to) in [(&members, SignedFor::Members), (&author, SignedFor::Author)] {
            let (e, s) = signed_query(url);
            assert_eq!(signed_url_left(SECRET, ID, e.as_deref(), s.as_deref(), now).map(|(t, _)| t), Some(to), "{url}");
        }
    }

    #[test]
    fn without_a_real_secret_no_photo_url_is_signed_nor_taken() {
        let now = 1_764_000_000_000;
        assert_eq!(signed_url(b"", SignedFor::Author, ID, now), None);
        assert_eq!(signed_url(b"short", SignedFor::Members, ID, now), None);
        // A signature anyone could make with an empty key is not taken.
        let expires = (now / 3_600_000 + 2) * 3600;
        let guessed = hmac16(b"", &format!("{ID}:{expires}")).map(|d| crate::auth::hex(&d));
        assert_eq!(signed_url_left(b"", ID, Some(&expires.to_string()), guessed.as_deref(), now), None);
        // Not the deployment's other keyed hash either (`limits::client_hash`).
        let other = crate::limits::client_hash(SECRET, &format!("photo-url:v1:{ID}:{expires}"));
        assert_eq!(signed_url_left(SECRET, ID, Some(&expires.to_string()), other.strip_prefix("c_"), now), None);
    }


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

    #[test]
    fn sizes_within_the_limits() {
        assert!(check_size(4032, 3024).is_ok(), "a phone photo");
        assert!(check_size(8064, 6048).is_ok(), "a 48 MP phone photo");
        assert!(check_size(6000, 1000).is_ok(), "a 6:1 panorama");
        assert!(check_size(1, 60000).is_err(), "the issue's 1x60000 strip");
        assert!(check_size(6001, 1000).is_err());
        assert!(check_size(12001, 4000).is_err());
        assert!(check_size(10000, 6000).is_err(), "60 MP");
    }

    fn planted_words(bytes: &[u8]) -> Vec<&'static str> {
        let text = String::from_utf8_lossy(bytes);
        real::PLANTED.iter().copied().filter(|w| text.contains(w)).collect()
    }

    #[test]
    fn a_phone_photo_loses_gps_camera_xmp_and_comments_but_stays_upright() {
        let photo = real::phone_jpeg(64, 48, 6);
        assert!(!planted_words(&photo).is_empty(), "the sample carries metadata");
        let c = clean(&photo).unwrap();
        assert_eq!(planted_words(&c.bytes), Vec::<&str>::new());
        assert_eq!((c.kind, c.width, c.height), (ImageKind::Jpeg, 48, 64), "orientation 6: shown turned, sides swapped");
        // Only the orientation is left in EXIF, and the file still decodes.
        let exif_left = { use img_parts::ImageEXIF; img_parts::jpeg::Jpeg::from_bytes(c.bytes.clone().into()).unwrap().exif().unwrap() };
        let parsed = exif::Reader::new().read_raw(exif_left.to_vec()).unwrap();
        let tags: Vec<exif::Tag> = parsed.fields().map(|f| f.tag).collect();
        assert_eq!(tags, vec![exif::Tag::Orientation]);
        let decoded = image::load_from_memory(&c.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (64, 48));
        // Upright already: no EXIF at all.
        let upright = clean(&real::phone_jpeg(30, 20, 1)).unwrap();
        assert_eq!((upright.width, upright.height), (30, 20));
        assert!({ use img_parts::ImageEXIF; img_parts::jpeg::Jpeg::from_bytes(upright.bytes.into()).unwrap().exif().is_none() });
    }

    #[test]
    fn png_and_webp_lose_their_metadata_and_still_decode() {
        for (photo, kind) in [(real::png_with_metadata(40, 30), ImageKind::Png), (real::webp_with_metadata(40, 30), ImageKind::Webp)] {
            assert!(!planted_words(&photo).is_empty(), "{kind:?} sample carries metadata");
            assert!(image::load_from_memory(&photo).is_ok(), "{kind:?} sample decodes");
            let c = clean(&photo).unwrap();
            assert_eq!(planted_words(&c.bytes), Vec::<&str>::new(), "{kind:?}");
            assert_eq!((c.kind, c.width, c.height), (kind, 40, 30));
            let decoded = image::load_from_memory(&c.bytes).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (40, 30), "{kind:?}");
        }
    }

    #[test]
    fn metadata_after_the_scan_and_after_the_image_goes_too() {
        let photo = real::phone_jpeg(32, 24, 1);
        // A second image after EOI (as phones store gain maps and motion
        // photos), and a comment segment between the scan and EOI.
        let mut trailing = photo.clone();
        trailing.extend_from_slice(&real::phone_jpeg(16, 8, 3));
        let eoi = photo.len() - 2;
        let mut between = photo[..eoi].to_vec();
        between.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x10]);
        between.extend_from_slice(b"secret comment");
        between.extend_from_slice(&[0xFF, 0xD9]);
        for file in [trailing, between] {
            let c = clean(&file).unwrap();
            assert_eq!(planted_words(&c.bytes), Vec::<&str>::new());
            assert!(c.bytes.ends_with(&[0xFF, 0xD9]));
            let decoded = image::load_from_memory(&c.bytes).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (32, 24));
        }
    }

    #[test]
    fn a_jpeg_with_few_segments_never_panics() {
        use img_parts::jpeg::{markers, Jpeg};
        let mut jpeg = Jpeg::from_bytes(real::phone_jpeg(16, 16, 6).into()).unwrap();
        jpeg.segments_mut().retain(|s| matches!(s.marker(), markers::APP1 | markers::SOF0 | markers::SOS));
        let bytes = jpeg.encoder().bytes().to_vec();
        // Damaged (no tables): refused or cleaned, never a panic.
        if let Ok(c) = clean(&bytes) {
            assert_eq!(planted_words(&c.bytes), Vec::<&str>::new());
        }
    }

    #[test]
    fn oversized_and_foreign_files_are_refused() {
        assert_eq!(clean(&png(1, 60000)).unwrap_err().field.as_deref(), Some("photo"));
        assert_eq!(clean(b"GIF89a....").unwrap_err().code, crate::ErrorCode::UnsupportedMediaType);
        // A header that claims JPEG but is not a whole JPEG file.
        assert_eq!(clean(&jpeg(10, 10)).unwrap_err().code, crate::ErrorCode::UnsupportedMediaType);
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
