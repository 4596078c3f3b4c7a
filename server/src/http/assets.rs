//! The built bundle (`/pkg/*`: wasm, js, css) compressed once, at brotli's best quality, so a
//! phone downloads the smallest form of what it must load before a page is interactive. The
//! compression layer's on-the-fly brotli runs at quality 4 (fast enough per request); this
//! runs once per file, in the background at start, and until it is done (or for a client
//! that does not take brotli) requests go on to the file handler and that layer.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Brotli's best quality and its largest usual window (4 MiB): the files are compressed once.
const QUALITY: u32 = 11;
const WINDOW_BITS: u32 = 22;

/// `/pkg/<name>` → (brotli body, content type), filled once in the background.
#[derive(Clone, Default)]
pub struct Precompressed(Arc<OnceLock<HashMap<String, (Bytes, &'static str)>>>);

impl Precompressed {
    /// Starts compressing every wasm, js and css file of `<site_root>/pkg` on a blocking
    /// thread; the answers use it once it is done. A file that cannot be read is left to the
    /// file handler (logged).
    pub fn start(site_root: &Path, pkg_dir: &str) -> Self {
        let this = Self::default();
        let (dir, done) = (site_root.join(pkg_dir), this.0.clone());
        tokio::task::spawn_blocking(move || {
            let _ = done.set(compress_dir(&dir));
        });
        this
    }

    /// Answers `GET /pkg/<name>` with the brotli body when the client takes brotli and it is
    /// ready; otherwise passes the request on.
    pub async fn serve(self, req: Request, next: Next) -> Response {
        let name = req.uri().path().strip_prefix("/pkg/").map(str::to_owned);
        let found = match (&name, self.0.get()) {
            (Some(name), Some(files)) if req.method() == Method::GET && accepts_brotli(&req) => files.get(name).cloned(),
            _ => None,
        };
        let Some((body, content_type)) = found else { return next.run(req).await };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = StatusCode::OK;
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        response
    }
}

/// Whether `Accept-Encoding` names `br` with a weight above zero.
fn accepts_brotli(req: &Request) -> bool {
    let codings = req.headers().get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(','));
    codings.into_iter().any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let weight = parts.find_map(|p| p.strip_prefix("q=")).map_or(1.0, |q| q.parse::<f32>().unwrap_or(0.0));
        name.eq_ignore_ascii_case("br") && weight > 0.0
    })
}

/// Every wasm, js and css file of `dir`, compressed.
fn compress_dir(dir: &Path) -> HashMap<String, (Bytes, &'static str)> {
    let mut files = HashMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        tracing::warn!("no bundle to precompress in {}", dir.display());
        return files;
    };
    for path in entries.flatten().map(|e| e.path()) {
        let content_type = match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") => "application/wasm",
            Some("js") => "text/javascript",
            Some("css") => "text/css",
            _ => continue,
        };
        let (Some(name), Ok(raw)) = (path.file_name().and_then(|n| n.to_str()), std::fs::read(&path)) else {
            tracing::warn!("could not read {} to precompress it", path.display());
            continue;
        };
        let compressed = brotli(&raw);
        tracing::debug!("{name}: {} bytes, {} with brotli", raw.len(), compressed.len());
        files.insert(name.to_owned(), (Bytes::from(compressed), content_type));
    }
    files
}

fn brotli(raw: &[u8]) -> Vec<u8> {
    let mut writer = brotli::CompressorWriter::new(Vec::with_capacity(raw.len() / 3), 64 * 1024, QUALITY, WINDOW_BITS);
    // Writing into a Vec cannot fail.
    let _ = writer.write_all(raw);
    writer.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(accept: &str) -> Request {
        Request::builder().uri("/pkg/a.wasm").header(header::ACCEPT_ENCODING, accept).body(Body::empty()).unwrap()
    }

    #[test]
    fn brotli_is_used_only_when_the_client_takes_it() {
        assert!(accepts_brotli(&request("gzip, deflate, br, zstd")));
        assert!(accepts_brotli(&request("BR;q=0.5")));
        assert!(!accepts_brotli(&request("gzip, deflate")));
        assert!(!accepts_brotli(&request("br;q=0, gzip")));
        assert!(!accepts_brotli(&request("brotli")));
    }

    #[test]
    fn what_is_compressed_decompresses_to_the_file() {
        let raw: Vec<u8> = (0..200_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let compressed = brotli(&raw);
        assert!(compressed.len() < raw.len() / 4, "{} of {}", compressed.len(), raw.len());
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut compressed.as_slice(), &mut back).unwrap();
        assert_eq!(back, raw);
    }
}
