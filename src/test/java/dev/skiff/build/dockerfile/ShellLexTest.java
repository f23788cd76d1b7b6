package dev.skiff.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every substitution form of the reference, quotes and escapes, as BuildKit's shell.Lex does them. */
class ShellLexTest {
    private static final Map<String, String> ENV = env();

    private static Map<String, String> env() {
        Map<String, String> m = new HashMap<>();
        m.put("PWD", "/home");
        m.put("SHELL", "bash");
        m.put("KOREAN", "한국어");
        m.put("EMPTY", "");
        m.put("str", "foobarbaz");
        m.put("FOO", "/bar");
        return m;
    }

    private static String word(String w) {
        return new ShellLex('\\').processWord(w, ENV);
    }

    @Test
    void plainVariables() {
        assertThat(word("$PWD")).isEqualTo("/home");
        assertThat(word("${PWD}")).isEqualTo("/home");
        assertThat(word("${PWD}_x")).isEqualTo("/home_x");
        assertThat(word("$PWD_x")).isEqualTo("");
        assertThat(word("he$PWD")).isEqualTo("he/home");
        assertThat(word("$KOREAN")).isEqualTo("한국어");
        assertThat(word("$UNSET")).isEqualTo("");
        assertThat(word("a$")).isEqualTo("a$");
        assertThat(word("$ x")).isEqualTo("$ x");
        assertThat(word("${FOO}")).isEqualTo("/bar");
    }

    @Test
    void nesting_isBounded_withAnErrorInsteadOfAStackOverflow() {
        int ok = ShellLex.MAX_DEPTH - 1;
        assertThat(word("${UNSET:-".repeat(ok) + "x" + "}".repeat(ok))).isEqualTo("x");
        int deep = 20_000;
        assertThatThrownBy(() -> word("${UNSET:-".repeat(deep) + "x" + "}".repeat(deep)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageEndingWith("variable substitutions nested more than 200 deep");
        assertThat(word("${UNSET:-${UNSET:-a}}${UNSET:-b}")).isEqualTo("ab"); // the count starts again per word
    }

    @Test
    void defaultAndAlternativeForms() {
        assertThat(word("${UNSET:-word}")).isEqualTo("word");
        assertThat(word("${EMPTY:-word}")).isEqualTo("word");
        assertThat(word("${PWD:-word}")).isEqualTo("/home");
        assertThat(word("${UNSET-word}")).isEqualTo("word");
        assertThat(word("${EMPTY-word}")).isEqualTo("");
        assertThat(word("${PWD:+word}")).isEqualTo("word");
        assertThat(word("${EMPTY:+word}")).isEqualTo("");
        assertThat(word("${UNSET:+word}")).isEqualTo("");
        assertThat(word("${EMPTY+word}")).isEqualTo("word");
        assertThat(word("${UNSET+word}")).isEqualTo("");
        assertThat(word("${UNSET:-$PWD/x}")).isEqualTo("/home/x");
        assertThat(word("${UNSET:-${SHELL:-zsh}}")).isEqualTo("bash");
        assertThat(word("${UNSET:-a b}")).isEqualTo("a b");
    }

    @Test
    void requiredForms() {
        assertThat(word("${PWD:?oops}")).isEqualTo("/home");
        assertThat(word("${EMPTY?oops}")).isEqualTo("");
        assertThatThrownBy(() -> word("${UNSET:?must be set}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("UNSET: must be set");
        assertThatThrownBy(() -> word("${EMPTY:?}")).hasMessageContaining("EMPTY: is not allowed to be empty");
        assertThatThrownBy(() -> word("${UNSET?}")).hasMessageContaining("UNSET: is not allowed to be unset");
    }

    @Test
    void patternForms_fromTheReference() {
        assertThat(word("${str#f*b}")).isEqualTo("arbaz");
        assertThat(word("${str##f*b}")).isEqualTo("az");
        assertThat(word("${str%b*}")).isEqualTo("foobar");
        assertThat(word("${str%%b*}")).isEqualTo("foo");
        assertThat(word("${str/ba/fo}")).isEqualTo("fooforbaz");
        assertThat(word("${str//ba/fo}")).isEqualTo("fooforfoz");
        assertThat(word("${str#nomatch}")).isEqualTo("foobarbaz");
        assertThat(word("${str/?a/X}")).isEqualTo("fooXrbaz");
        assertThat(word("${str%\\*}")).isEqualTo("foobarbaz");
        assertThat(word("${UNSET#x}")).isEqualTo("");
    }

    @Test
    void quotesAndEscapes() {
        assertThat(word("'$PWD'")).isEqualTo("$PWD");
        assertThat(word("\"$PWD\"")).isEqualTo("/home");
        assertThat(word("\\$PWD")).isEqualTo("$PWD");
        assertThat(word("\\${PWD}")).isEqualTo("${PWD}");
        assertThat(word("\"a\\\"b\"")).isEqualTo("a\"b");
        assertThat(word("\"a\\nb\"")).isEqualTo("a\\nb");
        assertThat(word("\"\\$PWD\"")).isEqualTo("$PWD");
        assertThat(word("Rex\\ The\\ Dog")).isEqualTo("Rex The Dog");
        assertThat(word("\"John Doe\"")).isEqualTo("John Doe");
        assertThat(word("'it''s'")).isEqualTo("its");
        assertThat(new ShellLex('`').processWord("`$PWD c:\\dir", ENV)).isEqualTo("$PWD c:\\dir");
        assertThatThrownBy(() -> word("'open")).hasMessageContaining("single-quote");
        assertThatThrownBy(() -> word("\"open")).hasMessageContaining("double-quote");
        assertThatThrownBy(() -> word("${PWD")).hasMessageContaining("missing '}'");
        assertThatThrownBy(() -> word("${}")).hasMessageContaining("bad substitution");
        assertThatThrownBy(() -> word("${PWD!x}")).hasMessageContaining("unsupported modifier");
    }

    @Test
    void words_splitAfterSubstitution() {
        ShellLex lex = new ShellLex('\\');
        Map<String, String> env = Map.of("PORTS", "80/tcp 443/tcp");
        assertThat(lex.processWords("$PORTS 53/udp", env)).containsExactly("80/tcp", "443/tcp", "53/udp");
        assertThat(lex.processWords("\"a b\" c", env)).containsExactly("a b", "c");
        assertThat(lex.processWords("  ", env)).isEqualTo(List.of());
    }

    @Test
    void heredocLexer_keepsQuotes() {
        assertThat(ShellLex.heredoc('\\').processWord("echo \"$PWD\" '$SHELL'\n", ENV)).isEqualTo("echo \"/home\" 'bash'\n");
    }
}
