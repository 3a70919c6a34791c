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
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Copies a jar whose classes are older than Java 6 (class-file version 49, such as picocli's, built for Java 5) with
 * every class raised to version 52 (Java 8) and given the stack-map frames that version needs; nothing else changes.
 * Run by ./atelier once per build on JDK 25 or newer ({@code java scripts/UpgradeClassFiles.java IN OUT}): the JVM's
 * class-data archive and ahead-of-time cache hold no class older than version 50, so the ~180 picocli classes of every
 * command were read and verified again at each start (~150 ms of CPU; bench/RESULTS.md). Writes {@code OUT} whole or not
 * at all; exits non-zero when a class cannot be rewritten, and the launcher then keeps the original jar.
 */
public final class UpgradeClassFiles {
    private static final int TARGET_MAJOR = 52;

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try (URLClassLoader jar = new URLClassLoader(new URL[] {in.toUri().toURL()}, null)) {
            // Frames merge types, so the rewriter must know the jar's own class hierarchy besides the JDK's.
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(jar))));
            ClassTransform raise = (builder, element) -> {
                if (element instanceof ClassFileVersion version && version.majorVersion() < TARGET_MAJOR) {
                    builder.withVersion(TARGET_MAJOR, 0);
                } else {
                    builder.with(element);
                }
            };
            ClassTransform transform = raise.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
            try (InputStream source = Files.newInputStream(in);
                 ZipInputStream entries = new ZipInputStream(source);
                 OutputStream target = Files.newOutputStream(partial);
                 ZipOutputStream copy = new ZipOutputStream(target)) {
                for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                    byte[] bytes = entries.readAllBytes();
                    String name = entry.getName();
                    if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")) {
                        bytes = classFile.transformClass(classFile.parse(bytes), transform);
                    }
                    copy.putNextEntry(new ZipEntry(name));
                    copy.write(bytes);
                    copy.closeEntry();
                }
            }
        }
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
