package io.sluice.architecture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What a pom.xml itself declares, read as XML: its modules and its dependencies, not those of profiles or of the
 * dependency management (no inheritance or interpolation).
 */
record Pom(List<String> modules, List<Dependency> dependencies) {

    /** A declared dependency; {@code scope} is {@code compile} when the pom gives none. */
    record Dependency(String groupId, String artifactId, String scope) {
        @Override
        public String toString() {
            return groupId + ":" + artifactId + " (" + scope + ")";
        }
    }

    static Pom read(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element project = factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        List<String> modules = new ArrayList<>();
        for (Element module : children(child(project, "modules"), "module")) {
            modules.add(module.getTextContent().strip());
        }
        List<Dependency> dependencies = new ArrayList<>();
        for (Element dependency : children(child(project, "dependencies"), "dependency")) {
            Element scope = child(dependency, "scope");
            dependencies.add(new Dependency(text(dependency, "groupId"), text(dependency, "artifactId"),
                    scope == null ? "compile" : scope.getTextContent().strip()));
        }
        return new Pom(List.copyOf(modules), List.copyOf(dependencies));
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().strip();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.getFirst();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }
}
