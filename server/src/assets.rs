//! Static assets. Precompressed: brotli and gzip copies next to each file, so the file
//! server can answer `Accept-Encoding` without compressing per request. Hashed: the release
//! build (cargo-leptos `hash-files`) names the js, wasm and css `stemme.<hash>.<ext>` and
//! lists the hashes in `hash.txt`, so they can be cached for a year.
use std::io::Write;
use std::path::{Path, PathBuf};

/// The name cargo-leptos gives the file listing the hashes.
pub const HASH_FILE: &str = "hash.txt";

/// `Cache-Control` for a file whose name carries its content's hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` for other static files (favicon, robots.txt, unhashed dev builds).
pub const SHORT: &str = "public, max-age=3600";

/// Where the hash list is: in the site root if it was put there (a site directory that
/// travels on its own), else beside the server binary, where cargo-leptos writes it.
/// `None` when the site was built without hashed names.
pub fn hash_file(site_root: &Path) -> Option<PathBuf> {
    let beside_exe = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(HASH_FILE)));
    std::iter::once(Some(site_root.join(HASH_FILE)))
        .chain(std::iter::once(beside_exe))
        .flatten()
        .find(|p| p.is_file())
        .and_then(|p| std::path::absolute(p).ok())
}

/// The stylesheet's path: `/pkg/stemme.<hash>.css` when `hash_file` lists a css hash,
/// else `/pkg/stemme.css`.
pub fn stylesheet_href(hash_file: Option<&Path>) -> String {
    let hash = hash_file
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| {
            text.lines().find_map(|line| {
                let (kind, hash) = line.split_once(':')?;
                (kind.trim() == "css").then(|| hash.trim().to_owned())
            })
        })
        .filter(|h| is_hash(h));
    match hash {
        Some(hash) => format!("/pkg/stemme.{hash}.css"),
        None => "/pkg/stemme.css".to_owned(),
    }
}

tokio::task_local! {
    static STYLESHEET: std::sync::Arc<str>;
}

/// Middleware: the stylesheet's path for pages written outside Leptos (refusal pages)
/// while this request is handled.
pub async fn with_stylesheet(
    axum::extract::State(href): axum::extract::State<std::sync::Arc<str>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    STYLESHEET.scope(href, next.run(req)).await
}

/// The stylesheet's path for pages written outside Leptos (see [`with_stylesheet`]).
pub fn stylesheet() -> String {
    STYLESHEET
        .try_with(|href| href.to_string())
        .unwrap_or_else(|_| "/pkg/stemme.css".to_owned())
}

/// cargo-leptos's hash: MD5 in unpadded base64url, 22 characters.
fn is_hash(part: &str) -> bool {
    part.len() == 22
        && part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The `Cache-Control` of a static file at `path` (a request path): immutable when its
/// name carries a content hash (`stemme.<hash>.wasm`), short otherwise.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or("");
    let mut parts = name.split('.');
    parts.next();
    let mut middle: Vec<&str> = parts.collect();
    middle.pop();
    if middle.into_iter().any(is_hash) {
        IMMUTABLE
    } else {
        SHORT
    }
}

/// Does `path` name a file (its last segment has an extension)? Pages never do.
pub fn is_file_path(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty())
}

/// File types worth compressing.
const COMPRESSIBLE: [&str; 6] = ["wasm", "js", "css", "svg", "json", "txt"];

/// Size of one asset, raw and compressed.
#[derive(Debug, Clone)]
pub struct AssetSize {
    pub path: PathBuf,
    pub raw: u64,
    pub brotli: u64,
    pub gzip: u64,
}

/// Compresses every compressible file under `root` whose `.br`/`.gz` copy is
/// missing or older than the file. Returns the sizes of all of them.
pub fn precompress(root: &Path) -> std::io::Result<Vec<AssetSize>> {
    let mut out = Vec::new();
    if !root.is_dir() {
        return Ok(out);
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !COMPRESSIBLE.contains(&ext) {
                continue;
            }
            let data = std::fs::read(&path)?;
            let br_path = with_suffix(&path, "br");
            let gz_path = with_suffix(&path, "gz");
            if is_stale(&path, &br_path) {
                write_atomic(&br_path, &brotli_bytes(&data)?)?;
            }
            if is_stale(&path, &gz_path) {
                write_atomic(&gz_path, &gzip_bytes(&data)?)?;
            }
            out.push(AssetSize {
                raw: data.len() as u64,
                brotli: std::fs::metadata(&br_path)?.len(),
                gzip: std::fs::metadata(&gz_path)?.len(),
                path,
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

fn is_stale(source: &Path, copy: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(source), modified(copy)) {
        (Some(s), Some(c)) => c < s,
        _ => true,
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = with_suffix(path, "tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

fn brotli_bytes(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        w.write_all(data)?;
    }
    Ok(out)
}

fn gzip_bytes(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(data)?;
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_immutable() {
        assert_eq!(
            cache_control("/pkg/stemme.8sGXRoCLqZ0DXPUbu2SnQA.wasm"),
            IMMUTABLE
        );
        assert_eq!(
            cache_control("/pkg/stemme.Ab-_0123456789abcdefgh.css"),
            IMMUTABLE
        );
        assert_eq!(cache_control("/pkg/stemme.wasm"), SHORT);
        assert_eq!(cache_control("/favicon.svg"), SHORT);
        assert_eq!(cache_control("/robots.txt"), SHORT);
        assert_eq!(cache_control("/pkg/8sGXRoCLqZ0DXPUbu2SnQA.wasm"), SHORT);
        assert!(is_file_path("/pkg/stemme.css") && is_file_path("/robots.txt"));
        assert!(!is_file_path("/forslag/4") && !is_file_path("/") && !is_file_path("/.env"));
    }

    #[test]
    fn the_stylesheet_name_comes_from_the_hash_file() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join(HASH_FILE);
        std::fs::write(
            &file,
            "js: 1111111111111111111111\nwasm: 2222222222222222222222\ncss: 8sGXRoCLqZ0DXPUbu2SnQA\n",
        )?;
        assert_eq!(
            stylesheet_href(Some(&file)),
            "/pkg/stemme.8sGXRoCLqZ0DXPUbu2SnQA.css"
        );
        assert_eq!(hash_file(dir.path()), std::path::absolute(&file).ok());
        assert_eq!(stylesheet_href(None), "/pkg/stemme.css");
        std::fs::write(&file, "css: ../../etc/passwd\n")?;
        assert_eq!(stylesheet_href(Some(&file)), "/pkg/stemme.css");
        Ok(())
    }

    #[test]
    fn compresses_and_skips_fresh_copies() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let js = dir.path().join("pkg").join("app.js");
        std::fs::create_dir_all(js.parent().unwrap_or(dir.path()))?;
        std::fs::write(&js, "console.log('hej');\n".repeat(200))?;
        std::fs::write(dir.path().join("image.png"), [0u8; 10])?;
        let sizes = precompress(dir.path())?;
        assert_eq!(sizes.len(), 1);
        assert!(sizes[0].brotli < sizes[0].raw / 10, "{sizes:?}");
        assert!(sizes[0].gzip < sizes[0].raw / 10);
        assert!(with_suffix(&js, "br").is_file() && with_suffix(&js, "gz").is_file());
        let before = std::fs::metadata(with_suffix(&js, "br"))?.modified()?;
        precompress(dir.path())?;
        assert_eq!(
            std::fs::metadata(with_suffix(&js, "br"))?.modified()?,
            before
        );
        Ok(())
    }
}
