package io.sluice.cli.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    @Test
    void everyPlaceholderIsReplacedByItsValueTakenLiterally() {
        Template t = new Template("t", "package {{package}};\n// {{package}} at {{version.x-1}} {{Not}} {{ spaced }}");
        assertEquals("package a.b;\n// a.b at $1\\z {{Not}} {{ spaced }}",
                t.render(Map.of("package", "a.b", "version.x-1", "$1\\z")));
    }

    @Test
    void aPlaceholderWithoutAValueFailsNamingIt() {
        var e = assertThrows(IllegalStateException.class, () -> new Template("pom.xml.tmpl", "{{a}} {{b}}").render(Map.of("a", "1")));
        assertTrue(e.getMessage().contains("pom.xml.tmpl") && e.getMessage().contains("{{b}}"), e.getMessage());
    }

    @Test
    void theShippedTemplatesRenderWithTheBuildsVersions() {
        var files = new JobProject("com.example", "job").files(BuildVersions.load());
        assertEquals(5, files.size());
        assertTrue(files.stream().noneMatch(f -> f.content().contains("{{") || f.path().contains("{{")), files.toString());
        assertTrue(BuildVersions.load().sluice().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), BuildVersions.load().sluice());
    }
}
