//! Instructions with one argument (`MAINTAINER`, `WORKDIR`, `USER`,
//! `STOPSIGNAL`) or a plain list (`EXPOSE`, `VOLUME`).

use super::InstructionError;
use super::request::Request;
use crate::dockerfile::gotext::trim_space;

/// The single argument of `keyword`, checking flags first unless `check_flags`
/// is false (`STOPSIGNAL` never checks them).
fn single(req: &Request<'_>, keyword: &str, check_flags: bool) -> Result<String, InstructionError> {
    let [arg] = &*req.args else {
        return Err(req.exactly_one(keyword));
    };
    if check_flags {
        req.flags(&[])?;
    }
    Ok(arg.clone())
}

/// `MAINTAINER`.
pub(crate) fn parse_maintainer(req: &Request<'_>) -> Result<String, InstructionError> {
    single(req, "MAINTAINER", true)
}

/// `WORKDIR`.
pub(crate) fn parse_workdir(req: &Request<'_>) -> Result<String, InstructionError> {
    single(req, "WORKDIR", true)
}

/// `USER`.
pub(crate) fn parse_user(req: &Request<'_>) -> Result<String, InstructionError> {
    single(req, "USER", true)
}

/// `STOPSIGNAL` (flags ignored).
pub(crate) fn parse_stopsignal(req: &Request<'_>) -> Result<String, InstructionError> {
    single(req, "STOPSIGNAL", false)
}

/// `EXPOSE`: at least one port; BuildKit sorts them.
pub(crate) fn parse_expose(req: &Request<'_>) -> Result<Vec<String>, InstructionError> {
    if req.args.is_empty() {
        return Err(req.at_least_one("EXPOSE"));
    }
    req.flags(&[])?;
    let mut ports = req.args.to_vec();
    ports.sort();
    Ok(ports)
}

/// `VOLUME`: at least one path, none blank.
pub(crate) fn parse_volume(req: &Request<'_>) -> Result<Vec<String>, InstructionError> {
    if req.args.is_empty() {
        return Err(req.at_least_one("VOLUME"));
    }
    req.flags(&[])?;
    req.args
        .iter()
        .map(|v| {
            let v = trim_space(v);
            if v.is_empty() {
                Err(req.error("VOLUME specified can not be an empty string"))
            } else {
                Ok(v.to_string())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::command::CommandKind;
    use super::super::testutil::{check_errors, only};

    #[test]
    fn accepted_forms() {
        assert_eq!(only("WORKDIR /a b"), CommandKind::Workdir("/a b".into()));
        assert_eq!(only("USER app:app"), CommandKind::User("app:app".into()));
        assert_eq!(
            only("MAINTAINER Jane <j@x>"),
            CommandKind::Maintainer("Jane <j@x>".into())
        );
        assert_eq!(
            only("STOPSIGNAL SIGTERM"),
            CommandKind::Stopsignal("SIGTERM".into())
        );
        // STOPSIGNAL never checks its flags.
        assert_eq!(
            only("STOPSIGNAL --x=1 9"),
            CommandKind::Stopsignal("9".into())
        );
        assert_eq!(
            only("EXPOSE 8080 443/tcp 80 ${PORT}"),
            CommandKind::Expose(vec![
                "${PORT}".into(),
                "443/tcp".into(),
                "80".into(),
                "8080".into()
            ])
        );
        assert_eq!(
            only("VOLUME /a /b"),
            CommandKind::Volume(vec!["/a".into(), "/b".into()])
        );
        assert_eq!(
            only("VOLUME [\" /data \"]"),
            CommandKind::Volume(vec!["/data".into()])
        );
    }

    #[test]
    fn errors() {
        check_errors(&[
            ("WORKDIR", "WORKDIR requires exactly one argument"),
            ("USER", "USER requires exactly one argument"),
            ("MAINTAINER", "MAINTAINER requires exactly one argument"),
            ("STOPSIGNAL", "STOPSIGNAL requires exactly one argument"),
            ("STOPSIGNAL --x", "STOPSIGNAL requires exactly one argument"),
            ("WORKDIR --x /a", "unknown flag: --x"),
            ("USER --x a", "unknown flag: --x"),
            ("MAINTAINER --x a", "unknown flag: --x"),
            ("EXPOSE", "EXPOSE requires at least one argument"),
            ("EXPOSE --x", "EXPOSE requires at least one argument"),
            ("EXPOSE --x 80", "unknown flag: --x"),
            ("VOLUME", "VOLUME requires at least one argument"),
            ("VOLUME []", "VOLUME requires at least one argument"),
            ("VOLUME --x /a", "unknown flag: --x"),
            (
                "VOLUME [\"\"]",
                "VOLUME specified can not be an empty string",
            ),
            (
                "VOLUME [\"/a\", \" \"]",
                "VOLUME specified can not be an empty string",
            ),
        ]);
    }
}
