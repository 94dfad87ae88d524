package io.searchloop.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The build check behind {@code Scalars}: compiles the model and training code with javac's API and
 * fails on any call of an {@code NDArray} arithmetic overload that takes a {@code Number} (their
 * scalar tensor is freed when the call returns, while autograd may still need it). Resolution is
 * javac's own, so a constant hidden in a variable or a cast is found too.
 */
class AutogradConstantsTest {
    private static final Set<String> ARITHMETIC =
            Set.of(
                    "add",
                    "sub",
                    "mul",
                    "div",
                    "pow",
                    "maximum",
                    "minimum",
                    "mod",
                    "addi",
                    "subi",
                    "muli",
                    "divi",
                    "powi",
                    "maximumi",
                    "minimumi",
                    "modi",
                    "rsub",
                    "rdiv",
                    "rpow",
                    "rmod",
                    "rsubi",
                    "rdivi",
                    "rpowi",
                    "rmodi");
    private static final Path SOURCES = Path.of("src/main/java/io/searchloop/encoder");

    @Test
    void shouldPassNoNumberToNdArrayArithmeticInModelOrTrainingCode() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("model", "train")) {
            try (Stream<Path> s = Files.list(SOURCES.resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(10);
        assertThat(numberArithmetic(files, List.of())).isEmpty();
    }

    @Test
    void shouldFindANumberPassedToArithmeticHoweverItIsSpelled() throws IOException {
        String source =
                """
                package probe;
                import ai.djl.ndarray.NDArray;
                class Probe {
                    static final float SCALE = 20f;
                    NDArray f(NDArray x, NDArray y) {
                        float half = 0.5f;
                        NDArray a = x.mul(SCALE).add(y);
                        NDArray b = x.div((float) Math.sqrt(4)).minimum(1e-9);
                        return a.sub(b).mul(half).add(y.mul(y));
                    }
                }
                """;
        List<String> found =
                numberArithmetic(List.of(), List.of(new Source("probe/Probe.java", source)));
        assertThat(found)
                .as("%s", found)
                .hasSize(4)
                .allSatisfy(f -> assertThat(f).startsWith("probe/Probe.java:"));
        assertThat(found)
                .anySatisfy(f -> assertThat(f).endsWith("x.mul(SCALE)"))
                .anySatisfy(
                        f ->
                                assertThat(f)
                                        .contains("x.div((float)Math.sqrt(4))")
                                        .endsWith("minimum(1.0E-9)"))
                .anySatisfy(f -> assertThat(f).endsWith("a.sub(b).mul(half)"))
                .noneSatisfy(f -> assertThat(f).endsWith("y.mul(y)"));
    }

    private record Source(String name, String text) {}

    private static List<String> numberArithmetic(List<Path> files, List<Source> inline)
            throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            List<JavaFileObject> units = new ArrayList<>();
            fm.getJavaFileObjectsFromPaths(files).forEach(units::add);
            for (Source s : inline) {
                units.add(
                        new SimpleJavaFileObject(
                                URI.create("string:///" + s.name()), JavaFileObject.Kind.SOURCE) {
                            @Override
                            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                                return s.text();
                            }
                        });
            }
            List<String> options =
                    List.of("-proc:none", "-classpath", System.getProperty("java.class.path"));
            JavacTask task = (JavacTask) javac.getTask(diagnostics, fm, null, options, null, units);
            Iterable<? extends CompilationUnitTree> trees = task.parse();
            task.analyze();
            Trees paths = Trees.instance(task);
            Types types = task.getTypes();
            TypeMirror ndArray =
                    task.getElements().getTypeElement("ai.djl.ndarray.NDArray").asType();
            TypeMirror number = task.getElements().getTypeElement("java.lang.Number").asType();
            List<String> found = new ArrayList<>();
            for (CompilationUnitTree unit : trees) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                        Element target = paths.getElement(getCurrentPath());
                        if (target instanceof ExecutableElement method
                                && ARITHMETIC.contains(method.getSimpleName().toString())
                                && types.isAssignable(
                                        types.erasure(
                                                ((TypeElement) method.getEnclosingElement())
                                                        .asType()),
                                        ndArray)
                                && method.getParameters().stream()
                                        .anyMatch(p -> types.isSameType(p.asType(), number))) {
                            long line =
                                    unit.getLineMap()
                                            .getLineNumber(
                                                    paths.getSourcePositions()
                                                            .getStartPosition(unit, call));
                            found.add(name(unit) + ":" + line + " " + call);
                        }
                        return super.visitMethodInvocation(call, null);
                    }
                }.scan(new TreePath(unit), null);
            }
            assertThat(diagnostics.toString()).as("javac diagnostics").doesNotContain("error:");
            return found;
        }
    }

    private static String name(CompilationUnitTree unit) {
        String uri = unit.getSourceFile().toUri().toString();
        int i = uri.indexOf("probe/");
        return i >= 0 ? uri.substring(i) : uri.substring(uri.indexOf("io/searchloop/"));
    }
}
