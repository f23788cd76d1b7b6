import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A build step (pom.xml, package phase): rewrites the classes of the given jars that predate Java 6 (class file
 * version 49 and below, picocli's and jbcrypt's) as version 52 classes with stack map frames, in place.
 *
 * <p>Why: the JVM verifies such classes with the old type-inferring verifier at every start, and an AOT cache
 * (JEP 483, bin/skiff's and bin/aot-train's) cannot keep them, so the CLI loaded and verified all of picocli
 * anew at every command (`skiff version` 0.19 -> 0.15 s with the rewritten jar). The bytecode itself is not
 * changed: the ClassFile API rebuilds each method body as it was and computes its frames; the class hierarchy
 * it needs comes from the jar itself and the JDK. A jar with no old class is left untouched, so running this
 * again is harmless.
 *
 * <p>A signed jar is left as it is (its signature covers the old bytes).
 *
 * <p>Usage: java src/build/UpgradeLegacyClasses.java JAR-OR-DIRECTORY...   (a directory: every jar in it)
 */
public final class UpgradeLegacyClasses {
    private static final int JAVA_6 = 50;
    private static final int JAVA_8 = 52;

    public static void main(String[] args) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String arg : args) {
            Path p = Path.of(arg);
            if (Files.isDirectory(p)) {
                try (var list = Files.list(p)) {
                    list.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
                }
            } else {
                jars.add(p);
            }
        }
        for (Path jar : jars) {
            int n = upgrade(jar);
            if (n > 0) {
                System.out.println("upgraded " + n + " pre-Java-6 classes in " + jar.getFileName());
            }
        }
    }

    static int upgrade(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return 0;
        }
        List<Entry> entries = new ArrayList<>();
        int old = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                String name = e.getName().toUpperCase(java.util.Locale.ROOT);
                if (name.startsWith("META-INF/") && (name.endsWith(".SF") || name.endsWith(".RSA")
                        || name.endsWith(".DSA") || name.endsWith(".EC"))) {
                    return 0; // signed
                }
                boolean legacy = e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")
                        && bytes.length > 8 && major(bytes) < JAVA_6;
                if (legacy) {
                    old++;
                }
                entries.add(new Entry(e, bytes, legacy));
            }
        }
        if (old == 0) {
            return 0;
        }
        Path tmp = jar.resolveSibling(jar.getFileName() + ".upgrading");
        try (URLClassLoader jarLoader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(jarLoader))));
            ClassTransform toJava8 = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                    .andThen((builder, element) -> {
                        if (element instanceof ClassFileVersion) {
                            builder.withVersion(JAVA_8, 0);
                        } else {
                            builder.with(element);
                        }
                    });
            try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(file)) {
                for (Entry e : entries) {
                    ZipEntry copy = new ZipEntry(e.entry().getName());
                    copy.setTime(e.entry().getTime());
                    out.putNextEntry(copy);
                    out.write(e.legacy() ? cf.transformClass(cf.parse(e.bytes()), toJava8) : e.bytes());
                    out.closeEntry();
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        // renamed over the old jar: a JVM that has it open keeps reading its own copy
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return old;
    }

    private static int major(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private record Entry(ZipEntry entry, byte[] bytes, boolean legacy) {
    }

    private UpgradeLegacyClasses() {
    }
}
