//! Precompressed static assets: brotli and gzip copies next to each file, so
//! the file server can answer `Accept-Encoding` without compressing per request.
use std::io::Write;
use std::path::{Path, PathBuf};

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
