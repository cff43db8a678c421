//! Values BuildKit validates while dispatching: signals, port specs,
//! checksums and the kind of a `COPY`/`ADD` source.

/// Signal names `moby/sys/signal` knows on Linux (without `SIG`).
const SIGNALS: &[&str] = &[
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL",
    "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP",
    "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX",
];

/// `signal.ParseSignal`: a positive number or a known name, `SIG` optional.
pub fn check_signal(raw: &str) -> Result<(), String> {
    let invalid = || format!("invalid signal: {raw}");
    if let Ok(n) = raw.parse::<i64>() {
        return if n == 0 { Err(invalid()) } else { Ok(()) };
    }
    let upper = raw.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    let realtime = |base: &str, sign: char| {
        name.strip_prefix(base)
            .and_then(|r| r.strip_prefix(sign))
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| (1..=15).contains(&n) || (sign == '-' && n == 14))
    };
    if SIGNALS.contains(&name) || realtime("RTMIN", '+') || realtime("RTMAX", '-') {
        Ok(())
    } else {
        Err(invalid())
    }
}

/// `nat.ParsePortSpecs` for one `EXPOSE` word: `[ip:[host]:]port[-end][/proto]`.
pub fn check_port_spec(raw: &str) -> Result<(), String> {
    let (spec, proto) = match raw.rsplit_once('/') {
        Some((spec, proto)) => (spec, proto),
        None => (raw, "tcp"),
    };
    if !matches!(proto.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {proto}"));
    }
    let container = spec.rsplit(':').next().unwrap_or(spec);
    if port_range(container).is_none() {
        return Err(format!("invalid containerPort: {container}"));
    }
    Ok(())
}

fn port_range(s: &str) -> Option<(u16, u16)> {
    let (start, end) = s.split_once('-').unwrap_or((s, s));
    let start: u16 = start.parse().ok()?;
    let end: u16 = end.parse().ok()?;
    (start <= end).then_some((start, end))
}

/// Whether a source is a Git repository reference (BuildKit's `gitutil`).
pub fn is_git_ref(src: &str) -> bool {
    if src.starts_with("git://") || src.starts_with("git@") || src.starts_with("ssh://") {
        return true;
    }
    if src.starts_with("http://") || src.starts_with("https://") {
        let path = src.split(['#', '?']).next().unwrap_or(src);
        return path.ends_with(".git") || src.contains(".git#");
    }
    false
}

/// Whether a source is downloaded over HTTP(S) (and is not a Git URL).
pub fn is_http_source(src: &str) -> bool {
    (src.starts_with("http://") || src.starts_with("https://")) && !is_git_ref(src)
}

/// `digest.Parse`: `algorithm:hex` for sha256, sha384 or sha512.
pub fn check_digest(raw: &str) -> Result<(), String> {
    let Some((algorithm, hex)) = raw.split_once(':') else {
        return Err("invalid checksum digest format".into());
    };
    let len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ if algorithm
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+._-".contains(c))
            && !algorithm.is_empty() =>
        {
            return Err("unsupported digest algorithm".into());
        }
        _ => return Err("invalid checksum digest format".into()),
    };
    if hex.len() != len {
        return Err("invalid checksum digest length".into());
    }
    if !hex
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err("invalid checksum digest format".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals() {
        for ok in ["SIGTERM", "term", "9", "SIGRTMIN+3", "RTMAX-14", "SIGQUIT"] {
            assert_eq!(check_signal(ok), Ok(()), "{ok}");
        }
        for bad in ["0", "SIGFOO", "", "RTMIN+16"] {
            assert_eq!(
                check_signal(bad),
                Err(format!("invalid signal: {bad}")),
                "{bad}"
            );
        }
    }

    #[test]
    fn ports() {
        for ok in [
            "80",
            "80/tcp",
            "53/UDP",
            "8000-8010",
            "127.0.0.1:80:80",
            "0",
        ] {
            assert_eq!(check_port_spec(ok), Ok(()), "{ok}");
        }
        assert_eq!(check_port_spec("80/xyz"), Err("invalid proto: xyz".into()));
        assert_eq!(
            check_port_spec("web"),
            Err("invalid containerPort: web".into())
        );
        assert_eq!(
            check_port_spec("70000"),
            Err("invalid containerPort: 70000".into())
        );
        assert_eq!(
            check_port_spec("$PORT"),
            Err("invalid containerPort: $PORT".into())
        );
    }

    #[test]
    fn sources_and_digests() {
        assert!(is_http_source("https://example.com/a.tar.gz"));
        assert!(!is_http_source("https://github.com/moby/buildkit.git"));
        assert!(is_git_ref("git@github.com:moby/buildkit.git"));
        assert!(!is_git_ref("./src"));
        let hex = "a".repeat(64);
        assert_eq!(check_digest(&format!("sha256:{hex}")), Ok(()));
        assert_eq!(
            check_digest("sha256:abc"),
            Err("invalid checksum digest length".into())
        );
        assert_eq!(
            check_digest("md5:abc"),
            Err("unsupported digest algorithm".into())
        );
        assert_eq!(
            check_digest("nope"),
            Err("invalid checksum digest format".into())
        );
    }
}
