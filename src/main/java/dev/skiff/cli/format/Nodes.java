package dev.skiff.cli.format;

import java.util.List;

/** The parse tree of a template: text, actions and the control structures Go's text/template has. */
final class Nodes {
    private Nodes() {
    }

    sealed interface Node permits Text, Action, If, Range, With {
    }

    record Text(String text) implements Node {
    }

    /** {{pipeline}}: prints the pipeline's value unless it declares variables. */
    record Action(int pos, Pipe pipe) implements Node {
    }

    record If(int pos, Pipe pipe, List<Node> then, List<Node> otherwise) implements Node {
    }

    record Range(int pos, Pipe pipe, List<Node> body, List<Node> otherwise) implements Node {
    }

    record With(int pos, Pipe pipe, List<Node> body, List<Node> otherwise) implements Node {
    }

    /** Commands joined by '|', optionally declaring ($x :=) or assigning ($x =) variables. */
    record Pipe(int pos, String source, List<String> vars, List<Cmd> cmds) {
    }

    record Cmd(int pos, List<Arg> args) {
    }

    sealed interface Arg permits Field, Variable, Function, Literal, SubPipe, Nil {
        int pos();
    }

    /** .A.B on dot; an empty chain is dot itself. */
    record Field(int pos, List<String> chain) implements Arg {
    }

    /** $x.A.B; "$" alone is the template's data. */
    record Variable(int pos, String name, List<String> chain) implements Arg {
    }

    record Function(int pos, String name) implements Arg {
    }

    record Literal(int pos, Object value) implements Arg {
    }

    record SubPipe(int pos, Pipe pipe, List<String> chain) implements Arg {
    }

    record Nil(int pos) implements Arg {
    }
}
