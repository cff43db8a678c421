//! `CMD`, `ENTRYPOINT` and `SHELL`, and the command line they share with `RUN`.

use super::InstructionError;
use super::command::{CmdLine, CommandKind, InlineFile};
use super::request::Request;

/// BuildKit's `parseShellDependentCommand`.
pub(crate) fn cmd_line(req: &Request<'_>) -> CmdLine {
    CmdLine {
        args: req.json_args(&req.args),
        prepend_shell: !req.node.json,
        files: req
            .node
            .heredocs
            .iter()
            .map(|h| InlineFile {
                name: h.name.clone(),
                data: h.content.clone(),
                chomp: h.chomp,
            })
            .collect(),
    }
}

/// `CMD`: no flags, any arguments.
pub(crate) fn parse_cmd(req: &Request<'_>) -> Result<CommandKind, InstructionError> {
    req.flags(&[])?;
    Ok(CommandKind::Cmd(cmd_line(req)))
}

/// `ENTRYPOINT`: no flags, any arguments (`ENTRYPOINT []` clears it).
pub(crate) fn parse_entrypoint(req: &Request<'_>) -> Result<CommandKind, InstructionError> {
    req.flags(&[])?;
    Ok(CommandKind::Entrypoint(cmd_line(req)))
}

/// `SHELL`: no flags, a non-empty JSON array.
pub(crate) fn parse_shell(req: &Request<'_>) -> Result<CommandKind, InstructionError> {
    req.flags(&[])?;
    let shell = req.json_args(&req.args);
    if shell.is_empty() {
        return Err(req.at_least_one("SHELL"));
    }
    if !req.node.json {
        return Err(req.arg_error(0, "SHELL requires the arguments to be in JSON form"));
    }
    Ok(CommandKind::Shell(shell))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{check_errors, error, only};
    use super::*;

    fn line(args: &[&str], prepend_shell: bool) -> CmdLine {
        CmdLine {
            args: args.iter().map(|s| s.to_string()).collect(),
            prepend_shell,
            files: Vec::new(),
        }
    }

    #[test]
    fn accepted_forms() {
        let table = [
            (
                "CMD [\"a\", \"b c\"]",
                CommandKind::Cmd(line(&["a", "b c"], false)),
            ),
            ("CMD echo  hi", CommandKind::Cmd(line(&["echo  hi"], true))),
            ("CMD []", CommandKind::Cmd(line(&[], false))),
            ("CMD", CommandKind::Cmd(line(&[], true))),
            ("CMD -- [\"a\"]", CommandKind::Cmd(line(&["a"], false))),
            (
                "ENTRYPOINT [\"/bin/app\"]",
                CommandKind::Entrypoint(line(&["/bin/app"], false)),
            ),
            ("ENTRYPOINT []", CommandKind::Entrypoint(line(&[], false))),
            (
                "entrypoint exec app",
                CommandKind::Entrypoint(line(&["exec app"], true)),
            ),
            (
                "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
                CommandKind::Shell(vec![
                    "/bin/bash".into(),
                    "-o".into(),
                    "pipefail".into(),
                    "-c".into(),
                ]),
            ),
        ];
        for (text, want) in table {
            assert_eq!(only(text), want, "{text}");
        }
    }

    #[test]
    fn errors() {
        check_errors(&[
            ("CMD --doit [\"a\", \"b\"]", "unknown flag: --doit"),
            ("ENTRYPOINT --x=1 a", "unknown flag: --x"),
            ("SHELL", "SHELL requires at least one argument"),
            ("SHELL []", "SHELL requires at least one argument"),
            (
                "SHELL /bin/sh -c",
                "SHELL requires the arguments to be in JSON form",
            ),
            ("SHELL --x [\"sh\"]", "unknown flag: --x"),
        ]);
        // Reported at the instruction's first line.
        assert_eq!(
            error("FROM a\n\n# c\nSHELL \\\n  sh -c"),
            ("SHELL requires the arguments to be in JSON form".into(), 4)
        );
    }
}
