import java.io.IOException;
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
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites the fat jar's class files older than Java 6 (picocli's, compiled for Java 5) as Java 8
 * class files with stack map frames, in place. The JVM's class-data sharing (the CDS archive, the
 * AOT cache) cannot hold classes older than Java 6, so without this every start loads and verifies
 * them from the jar, by the old type-inferring verifier, and runs them cold: about a quarter of a
 * second of the sidecar's start-up. Every rewritten class is then loaded, verified and initialized
 * in a class loader of its own, so a bad rewrite fails the build, not a start.
 *
 * <p>Run by plugin-server/pom.xml after the shade plugin, with the jar on the class path for ASM:
 * {@code java -cp wasm-executor-plugin.jar LiftClassFiles.java wasm-executor-plugin.jar}.
 */
public final class LiftClassFiles {

    private static final int JAVA_6 = 50;

    private LiftClassFiles() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: LiftClassFiles JAR");
        }
        Path jar = Path.of(args[0]);
        Path lifted = jar.resolveSibling(jar.getFileName() + ".lifted");
        List<String> names = new ArrayList<>();
        try (URLClassLoader original = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
                ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(lifted))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (entry.getName().endsWith(".class") && majorVersion(bytes) < JAVA_6) {
                    bytes = lift(bytes, original);
                    names.add(entry.getName());
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        verify(lifted, names);
        Files.move(lifted, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf(
                "LiftClassFiles: %d class files older than Java 6 in %s are Java 8 now%n",
                names.size(), jar);
    }

    private static int majorVersion(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    /** The class as a Java 8 class file, its frames computed by ASM. */
    private static byte[] lift(byte[] classFile, ClassLoader classes) {
        ClassWriter writer =
                new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
                    @Override
                    protected ClassLoader getClassLoader() {
                        return classes;
                    }
                };
        new ClassReader(classFile)
                .accept(
                        new ClassVisitor(Opcodes.ASM9, writer) {
                            @Override
                            public void visit(
                                    int version,
                                    int access,
                                    String name,
                                    String signature,
                                    String superName,
                                    String[] interfaces) {
                                super.visit(
                                        Opcodes.V1_8,
                                        access,
                                        name,
                                        signature,
                                        superName,
                                        interfaces);
                            }
                        },
                        ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    /** Loads, verifies and initializes every lifted class from the new jar. */
    private static void verify(Path jar, List<String> names) throws IOException {
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            for (String name : names) {
                String className = name.substring(0, name.length() - ".class".length());
                try {
                    Class.forName(className.replace('/', '.'), true, classes);
                } catch (ReflectiveOperationException | LinkageError e) {
                    throw new IllegalStateException(
                            "the rewritten %s does not load: %s".formatted(name, e), e);
                }
            }
        }
    }
}
