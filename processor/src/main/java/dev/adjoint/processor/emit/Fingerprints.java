package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * What keeps a build from going stale silently: the fingerprint of each differentiated method's
 * source ({@link #of}), which its generated class returns from {@code
 * adjointFingerprint(String)}, and the fingerprints of the other classes' methods a generated
 * class calls, as they were when it was generated: its static initializer compares them with
 * what the callees' generated classes return, and fails with a message that says to rebuild
 * cleanly when a callee was regenerated (or left stale) without its callers.
 *
 * @param own per method of the class, the fingerprint of its source
 * @param callees the methods of other classes called, with the fingerprint generated against
 */
public record Fingerprints(Map<String, Long> own, List<Expected> callees) {
  /** No fingerprints: no checks (stage tests that emit without javac). */
  public static final Fingerprints NONE = new Fingerprints(Map.of(), List.of());

  /** The name of the method each generated class answers its fingerprints from. */
  static final String METHOD = "adjointFingerprint";

  /** A callee in another class and the fingerprint of its source its callers were made with. */
  public record Expected(String packageName, String ownerSimpleName, String method,
      long fingerprint) {}

  /** The fingerprint of a method's source text: the first 8 bytes of its SHA-256. */
  public static long of(String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(source.getBytes(StandardCharsets.UTF_8));
      long f = 0;
      for (int i = 0; i < 8; i++) {
        f = f << 8 | (digest[i] & 0xff);
      }
      return f;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Adds {@code adjointFingerprint(String)} and the static check of the callees. */
  void addTo(TypeSpec.Builder type, ClassName self) {
    if (!own.isEmpty()) {
      MethodSpec.Builder m = MethodSpec.methodBuilder(METHOD)
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(TypeName.LONG)
          .addParameter(String.class, "method")
          .addJavadoc("The fingerprint of the source of each method this class differentiates, "
              + "for the static checks\nof generated callers in other classes.\n\n"
              + "@param method the name of a {@code @Differentiable} method of {@link $T}\n"
              + "@return the fingerprint of its source, or 0 for another name\n",
              ClassName.get(self.packageName(), self.simpleName().substring(0,
                  self.simpleName().length() - "Diff".length())));
      m.beginControlFlow("switch (method)");
      own.forEach((name, f) -> m.addStatement("case $S: return $L", name, literal(f)));
      m.addStatement("default: return 0L").endControlFlow();
      type.addMethod(m.build());
    }
    if (!callees.isEmpty()) {
      CodeBlock.Builder check = CodeBlock.builder()
          .add("// The callees' generated classes must be those this class was generated "
              + "against.\n");
      for (Expected e : callees) {
        ClassName diff = ClassName.get(e.packageName(),
            DiffClassEmitter.diffClassName(e.ownerSimpleName()));
        String callee = (e.packageName().isEmpty() ? "" : e.packageName() + ".")
            + e.ownerSimpleName() + "." + e.method();
        check.beginControlFlow("if ($T.$L($S) != $L)", diff, METHOD, e.method(),
                literal(e.fingerprint()))
            .addStatement("throw new $T($S)", IllegalStateException.class, self.canonicalName()
                + " was generated against another version of " + callee + " than "
                + diff.canonicalName() + " was (a stale build: a class was recompiled without "
                + "the classes that call it): rebuild cleanly (mvn clean compile, or delete "
                + "the generated sources and classes)")
            .endControlFlow();
      }
      type.addStaticBlock(check.build());
    }
  }

  private static String literal(long f) {
    return "0x" + Long.toHexString(f).toUpperCase(Locale.ROOT) + "L";
  }
}
