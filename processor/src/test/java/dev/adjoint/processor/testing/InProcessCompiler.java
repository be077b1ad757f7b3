package dev.adjoint.processor.testing;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java source strings in-process with the {@link AdjointProcessor} (through
 * compile-testing), asserts that the compilation succeeded, and loads every class file it produced
 * (the compiled inputs and everything the processor generated) into a child class loader of the
 * test class loader.
 *
 * <p>On failure it throws an {@link AssertionError} that lists every diagnostic with its file, line
 * and column, the input sources with line numbers, and every generated source, so that a failing
 * test can be debugged from its message alone.
 */
public final class InProcessCompiler {

  private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");
  private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+([\\w.]+)\\s*;");
  private static final Pattern TYPE =
      Pattern.compile("\\b(?:class|interface|enum|record)\\s+([A-Za-z_$][\\w$]*)");

  private final Compilation compilation;
  private final Map<String, String> inputs;
  private final MemoryClassLoader loader;

  private InProcessCompiler(Compilation compilation, Map<String, String> inputs) {
    this.compilation = compilation;
    this.inputs = inputs;
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      byte[] bytes = readAll(file);
      classes.put(binaryNameOf(bytes), bytes);
    }
    this.loader = new MemoryClassLoader(classes, InProcessCompiler.class.getClassLoader());
  }

  /**
   * Compiles the given sources; the qualified name of each is read from its {@code package}
   * declaration and its first top-level type declaration.
   */
  public static InProcessCompiler compile(String... sources) {
    Map<String, String> named = new LinkedHashMap<>();
    for (String source : sources) {
      named.put(qualifiedNameOf(source), source);
    }
    return compile(named);
  }

  /** Compiles the given sources, keyed by the qualified name of their top-level type. */
  public static InProcessCompiler compile(Map<String, String> sourcesByQualifiedName) {
    Map<String, String> inputs = new LinkedHashMap<>(sourcesByQualifiedName);
    List<JavaFileObject> files = new ArrayList<>();
    for (Map.Entry<String, String> e : inputs.entrySet()) {
      files.add(JavaFileObjects.forSourceString(e.getKey(), e.getValue()));
    }
    Compilation compilation =
        Compiler.javac()
            .withProcessors(new AdjointProcessor())
            .withOptions("-Xlint:all")
            .compile(files);
    if (compilation.status() != Compilation.Status.SUCCESS) {
      // compile-testing withholds generated files of a failed compilation: compile once more with
      // plain javax.tools, keeping what the processor writes, to show the generated sources.
      Map<String, String> generated;
      try {
        generated = captureGeneratedSources(inputs);
      } catch (RuntimeException | Error e) {
        generated = Map.of("<capture of generated sources failed>", e.toString());
      }
      throw new AssertionError(
          "Compilation failed.\n" + describe(compilation, inputs, generated), null);
    }
    return new InProcessCompiler(compilation, inputs);
  }

  /** Loads a class produced by this compilation (an input or a generated one) by binary name. */
  public Class<?> load(String binaryName) {
    try {
      return Class.forName(binaryName, true, loader);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(
          "No class "
              + binaryName
              + " in this compilation; compiled classes: "
              + loader.names()
              + "\n"
              + describe(),
          e);
    }
  }

  /** The class files this compilation produced, by binary name. */
  public Map<String, byte[]> classFiles() {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        byte[] bytes = readAll(file);
        classes.put(binaryNameOf(bytes), bytes);
      }
    }
    return classes;
  }

  /**
   * The body of the generated method {@code method}Adjoint taking a tape (the one that does the
   * work), in the source generated for {@code diffClass}, whose result type is {@code type}: what
   * tests read to check what a sweep records.
   */
  public String adjointBody(String diffClass, String type, String method) {
    String source = generatedSource(diffClass);
    Matcher m = Pattern.compile("public static "
        + Pattern.quote(type) + " " + method
        + "Adjoint\\([^)]*Tape tape\\) \\{").matcher(source);
    if (!m.find()) {
      throw new AssertionError("No " + method + "Adjoint(..., Tape tape) in " + diffClass);
    }
    int end = source.indexOf("\n    }\n", m.end());
    return source.substring(m.end(), end);
  }

  /** The text of the source file generated for the top-level type with this qualified name. */
  public String generatedSource(String qualifiedName) {
    Optional<JavaFileObject> file = compilation.generatedSourceFile(qualifiedName);
    if (file.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (JavaFileObject f : compilation.generatedSourceFiles()) {
        names.add(f.toUri().toString());
      }
      throw new AssertionError("No generated source for " + qualifiedName + "; generated: " + names);
    }
    return contentOf(file.get());
  }

  /** The underlying compile-testing result, for assertions on warnings and the like. */
  public Compilation compilation() {
    return compilation;
  }

  /** All diagnostics, input sources and generated sources of this compilation, as text. */
  public String describe() {
    return describe(compilation, inputs, generatedSources(compilation));
  }

  // ---------------------------------------------------------------------------------------------

  private static String qualifiedNameOf(String source) {
    // Comments (and so any text in javadoc) are left out of the search. String literals are not
    // handled: sources whose first type declaration follows such a string need explicit names.
    String code = COMMENT.matcher(source).replaceAll(" ");
    Matcher type = TYPE.matcher(code);
    if (!type.find()) {
      throw new IllegalArgumentException("No top-level type declaration found in:\n" + source);
    }
    Matcher pkg = PACKAGE.matcher(code);
    return pkg.find() ? pkg.group(1) + "." + type.group(1) : type.group(1);
  }

  private static Map<String, String> generatedSources(Compilation compilation) {
    Map<String, String> generated = new LinkedHashMap<>();
    for (JavaFileObject file : compilation.generatedSourceFiles()) {
      generated.put(file.toUri().toString(), contentOf(file));
    }
    return generated;
  }

  private static String describe(
      Compilation compilation, Map<String, String> inputs, Map<String, String> generated) {
    StringBuilder sb = new StringBuilder();
    sb.append("=== Diagnostics (").append(compilation.diagnostics().size()).append(") ===\n");
    for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
      sb.append(d.getKind())
          .append(": ")
          .append(d.getSource() == null ? "<no file>" : d.getSource().getName())
          .append(':')
          .append(d.getLineNumber())
          .append(':')
          .append(d.getColumnNumber())
          .append(": ")
          .append(d.getMessage(null))
          .append('\n');
      if (d.getSource() != null && d.getLineNumber() > 0) {
        String line = lineOf(d.getSource(), d.getLineNumber());
        if (line != null) {
          sb.append("    | ").append(line).append('\n');
        }
      }
    }
    for (Map.Entry<String, String> e : inputs.entrySet()) {
      sb.append("=== Input ").append(e.getKey()).append(" ===\n");
      appendNumbered(sb, e.getValue());
    }
    if (generated.isEmpty()) {
      sb.append("=== No generated sources ===\n");
    }
    for (Map.Entry<String, String> e : generated.entrySet()) {
      sb.append("=== Generated ").append(e.getKey()).append(" ===\n");
      appendNumbered(sb, e.getValue());
    }
    return sb.toString();
  }

  /**
   * Compiles the inputs with javax.tools directly (same processor and options, default class path),
   * keeping every source file the processor generates, even if the compilation then fails.
   */
  private static Map<String, String> captureGeneratedSources(Map<String, String> inputs) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StandardJavaFileManager standard =
        javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    Map<String, MemoryOutput> sources = new LinkedHashMap<>();
    JavaFileManager manager =
        new ForwardingJavaFileManager<StandardJavaFileManager>(standard) {
          @Override
          public JavaFileObject getJavaFileForOutput(
              Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
            MemoryOutput out = new MemoryOutput(location.getName(), className, kind);
            if (kind == JavaFileObject.Kind.SOURCE) {
              sources.put(className, out);
            }
            return out;
          }

          @Override
          public FileObject getFileForOutput(
              Location location, String packageName, String relativeName, FileObject sibling) {
            return new MemoryOutput(
                location.getName(),
                packageName + "/" + relativeName,
                JavaFileObject.Kind.OTHER);
          }
        };
    List<JavaFileObject> files = new ArrayList<>();
    for (Map.Entry<String, String> e : inputs.entrySet()) {
      files.add(JavaFileObjects.forSourceString(e.getKey(), e.getValue()));
    }
    JavaCompiler.CompilationTask task =
        javac.getTask(
            new StringWriter(), manager, d -> {}, List.of("-Xlint:all"), null, files);
    task.setProcessors(List.of(new AdjointProcessor()));
    task.call();
    Map<String, String> generated = new LinkedHashMap<>();
    for (Map.Entry<String, MemoryOutput> e : sources.entrySet()) {
      generated.put(e.getKey() + " (captured from a separate javax.tools run)", e.getValue().text());
    }
    return generated;
  }

  /** An output file kept in memory, readable back (javac compiles generated sources from it). */
  private static final class MemoryOutput extends SimpleJavaFileObject {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    MemoryOutput(String location, String name, JavaFileObject.Kind kind) {
      super(
          URI.create(
              "mem:///"
                  + location
                  + "/"
                  + (kind == JavaFileObject.Kind.OTHER ? name : name.replace('.', '/'))
                  + kind.extension),
          kind);
    }

    @Override
    public OutputStream openOutputStream() {
      bytes.reset();
      return bytes;
    }

    @Override
    public Writer openWriter() {
      return new OutputStreamWriter(openOutputStream(), StandardCharsets.UTF_8);
    }

    @Override
    public InputStream openInputStream() {
      return new java.io.ByteArrayInputStream(bytes.toByteArray());
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text();
    }

    String text() {
      return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }
  }

  private static String lineOf(JavaFileObject file, long lineNumber) {
    try {
      String[] lines = file.getCharContent(true).toString().split("\\R", -1);
      return lineNumber <= lines.length ? lines[(int) lineNumber - 1] : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void appendNumbered(StringBuilder sb, String text) {
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      sb.append(String.format("%4d  %s%n", i + 1, lines[i]));
    }
  }

  private static String contentOf(JavaFileObject file) {
    try {
      return file.getCharContent(true).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readAll(JavaFileObject file) {
    try (InputStream in = file.openInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads {@code this_class} from a class file: the binary name, whatever the file was called. */
  static String binaryNameOf(byte[] classFile) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile))) {
      if (in.readInt() != 0xCAFEBABE) {
        throw new IllegalArgumentException("Not a class file");
      }
      in.readUnsignedShort(); // minor
      in.readUnsignedShort(); // major
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      int[] classNameIndex = new int[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1: // Utf8
            utf8[i] = in.readUTF();
            break;
          case 7: // Class
            classNameIndex[i] = in.readUnsignedShort();
            break;
          case 8: // String
          case 16: // MethodType
          case 19: // Module
          case 20: // Package
            in.readUnsignedShort();
            break;
          case 3: // Integer
          case 4: // Float
          case 9: // Fieldref
          case 10: // Methodref
          case 11: // InterfaceMethodref
          case 12: // NameAndType
          case 17: // Dynamic
          case 18: // InvokeDynamic
            in.readInt();
            break;
          case 5: // Long
          case 6: // Double
            in.readLong();
            i++; // takes two slots
            break;
          case 15: // MethodHandle
            in.readUnsignedByte();
            in.readUnsignedShort();
            break;
          default:
            throw new IllegalArgumentException("Unknown constant pool tag " + tag);
        }
      }
      in.readUnsignedShort(); // access flags
      int thisClass = in.readUnsignedShort();
      return utf8[classNameIndex[thisClass]].replace('/', '.');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Defines the in-memory classes; everything else is delegated to the parent. */
  private static final class MemoryClassLoader extends ClassLoader {
    static {
      registerAsParallelCapable();
    }

    private final Map<String, byte[]> classes;

    MemoryClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
      super("adjoint-in-process-compilation", parent);
      this.classes = classes;
    }

    List<String> names() {
      return new ArrayList<>(classes.keySet());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      // Child-first for the compiled classes, so that a stale copy on the test class path (there
      // should be none) can never shadow what this compilation produced.
      if (!classes.containsKey(name)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] bytes = classes.get(name);
      if (bytes == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
