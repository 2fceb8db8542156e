//! Server functions, grouped by feature: authorize → validate with `domain` → `ssr::db` → map.
