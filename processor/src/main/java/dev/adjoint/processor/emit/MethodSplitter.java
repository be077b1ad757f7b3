package dev.adjoint.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Splits generated methods whose bytecode would exceed the JIT's limit. HotSpot does not compile
 * a method of more than 8000 bytes of bytecode ({@code -XX:-DontCompileHugeMethods} is off by
 * default), and javac refuses one of more than 64 KB; generated code of a large method gets
 * there long before its source does.
 *
 * <p>A method whose estimated bytecode exceeds {@link #BUDGET} is cut into runs of consecutive
 * statements, each moved verbatim into a private method of the same class ({@code mAdjointPart1},
 * ...). The variables the runs share live in one frame object per call ({@code MAdjointFrame},
 * a private nested class with one field per such variable): a part loads what it reads from the
 * frame into locals of the same names at its start and stores what later code reads at its end,
 * so its statements stay the code they were. A statement too large by itself (a loop, a branch,
 * a {@code try}) stays in a part of its own whose nested blocks are cut the same way: a loop's
 * body becomes calls of parts, once per iteration, with the loop's own locals passed through the
 * frame around each call. A method under the budget is not touched.
 *
 * <p>The splitter works on the printed body, not on the IR, so that it covers every entry point
 * (sweeps, the hand-written parts around them, checks) the same way; the generated code is a
 * small, regular subset of Java (no lambdas, no local classes, no jumps but a final {@code
 * return}), which is what it relies on, and a block outside that subset is left whole.
 */
final class MethodSplitter {
  /** The estimated bytecode of a method above which it is split, and of each part at most. */
  static final int BUDGET = 5000;

  private MethodSplitter() {}

  /** {@code type} with its methods and those of its nested classes split where too large. */
  static TypeSpec split(TypeSpec type) {
    if (type.kind() != TypeSpec.Kind.CLASS || !type.staticBlock().isEmpty()
        || !type.initializerBlock().isEmpty()) {
      // (a class with initializer blocks is not rebuilt: JavaPoet keeps them wrapped)
      return type;
    }
    List<MethodSpec> methods = new ArrayList<>();
    List<TypeSpec> types = new ArrayList<>();
    boolean changed = false;
    Set<String> methodNames = new HashSet<>();
    type.methodSpecs().forEach(m -> methodNames.add(m.name()));
    Set<String> typeNames = new HashSet<>(type.nestedTypesSimpleNames());
    type.typeSpecs().forEach(t -> typeNames.add(t.name()));
    typeNames.add(type.name());
    for (TypeSpec nested : type.typeSpecs()) {
      TypeSpec s = split(nested);
      changed |= s != nested;
      types.add(s);
    }
    for (MethodSpec m : type.methodSpecs()) {
      Optional<Split> s = m.isConstructor() || estimate(m.code().toString()) <= BUDGET
          ? Optional.empty() : new MethodCut(m, methodNames, typeNames).cut();
      if (s.isEmpty()) {
        methods.add(m);
      } else {
        changed = true;
        methods.addAll(s.get().methods());
        types.add(s.get().frame());
      }
    }
    if (!changed) {
      return type;
    }
    TypeSpec.Builder b = TypeSpec.classBuilder(type.name())
        .addModifiers(type.modifiers().toArray(new Modifier[0]))
        .addJavadoc(type.javadoc())
        .addAnnotations(type.annotations())
        .addTypeVariables(type.typeVariables())
        .superclass(type.superclass())
        .addSuperinterfaces(type.superinterfaces())
        .addFields(type.fieldSpecs())
        .addMethods(methods)
        .addTypes(types);
    type.originatingElements().forEach(b::addOriginatingElement);
    b.alwaysQualify(type.alwaysQualifiedNames().toArray(new String[0]));
    return b.build();
  }

  /** The method (now a sequence of part calls), its parts, and the frame class. */
  record Split(List<MethodSpec> methods, TypeSpec frame) {}

  /** The estimated bytecode size of a printed method body. */
  static int estimate(String code) {
    List<Tok> toks = Tok.scan(code);
    return estimate(toks, 0, toks.size());
  }

  /**
   * Bytecode bytes per token, by what the token usually compiles to: a local's load or store
   * (wide, since split methods have hundreds of locals), a field, call or constant-pool entry,
   * an arithmetic instruction, a compare and branch. Calibrated against javac's output on the
   * tests' large methods, rounded up ({@code HugeMethodTest} checks every part stays under 8000).
   */
  static int estimate(List<Tok> toks, int from, int to) {
    int bytes = 0;
    for (int i = from; i < to; i++) {
      Tok t = toks.get(i);
      switch (t.kind) {
        case IDENT:
          bytes += Tok.KEYWORDS.contains(t.text) ? keyword(t.text) : 3;
          break;
        case NUMBER:
        case STRING:
          bytes += 3;
          break;
        case OP:
          bytes += op(t.text);
          break;
        default:
          break;
      }
    }
    return bytes;
  }

  private static int keyword(String k) {
    switch (k) {
      case "new":
        return 6;
      case "if":
      case "for":
      case "while":
      case "do":
      case "else":
      case "try":
      case "catch":
      case "finally":
        return 4;
      default:
        return 1;
    }
  }

  private static int op(String o) {
    switch (o) {
      case "(":
      case ")":
      case "{":
      case "}":
      case ";":
      case ",":
      case ".":
      case "=":
      case "]":
        return 0;
      case "==":
      case "!=":
      case "<":
      case ">":
      case "<=":
      case ">=":
      case "&&":
      case "||":
      case "?":
      case ":":
      case "!":
        return 4;
      default:
        return 1;
    }
  }

  // --------------------------------------------------------------------------------------------

  /** A token of the printed body. */
  static final class Tok {
    enum Kind { IDENT, NUMBER, STRING, OP }

    static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte",
        "case", "catch", "char", "class", "const", "continue", "default", "do", "double", "else",
        "enum", "extends", "final", "finally", "float", "for", "goto", "if", "implements",
        "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
        "protected", "public", "return", "short", "static", "strictfp", "super", "switch",
        "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile",
        "while", "true", "false", "null", "var", "yield");
    static final Set<String> PRIMITIVES =
        Set.of("double", "float", "long", "int", "short", "byte", "char", "boolean");
    private static final String[] OPERATORS = {">>>=", "<<=", ">>=", ">>>", "...", "->", "::",
        "++", "--", "&&", "||", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=",
        "^=", "<<", ">>"};

    final Kind kind;
    final String text;
    final int start;
    final int end;

    Tok(Kind kind, String text, int start, int end) {
      this.kind = kind;
      this.text = text;
      this.start = start;
      this.end = end;
    }

    boolean is(String s) {
      return text.equals(s) && kind != Kind.STRING;
    }

    /** The tokens of {@code s}, comments and white space left out. */
    static List<Tok> scan(String s) {
      List<Tok> out = new ArrayList<>();
      int i = 0;
      int n = s.length();
      while (i < n) {
        char c = s.charAt(i);
        int start = i;
        if (Character.isWhitespace(c)) {
          i++;
        } else if (s.startsWith("//", i)) {
          while (i < n && s.charAt(i) != '\n') {
            i++;
          }
        } else if (s.startsWith("/*", i)) {
          int close = s.indexOf("*/", i + 2);
          i = close < 0 ? n : close + 2;
        } else if (c == '"' || c == '\'') {
          i++;
          while (i < n && s.charAt(i) != c) {
            i += s.charAt(i) == '\\' ? 2 : 1;
          }
          i++;
          out.add(new Tok(Kind.STRING, s.substring(start, Math.min(i, n)), start, i));
        } else if (Character.isDigit(c)
            || c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1))) {
          i++;
          while (i < n) {
            char d = s.charAt(i);
            char prev = s.charAt(i - 1);
            if (Character.isLetterOrDigit(d) || d == '.' || d == '_'
                || (d == '+' || d == '-') && (prev == 'e' || prev == 'E' || prev == 'p'
                    || prev == 'P') && !s.startsWith("0x", start) && !s.startsWith("0X", start)) {
              i++;
            } else {
              break;
            }
          }
          out.add(new Tok(Kind.NUMBER, s.substring(start, i), start, i));
        } else if (Character.isJavaIdentifierStart(c)) {
          i++;
          while (i < n && Character.isJavaIdentifierPart(s.charAt(i))) {
            i++;
          }
          out.add(new Tok(Kind.IDENT, s.substring(start, i), start, i));
        } else {
          String op = String.valueOf(c);
          for (String o : OPERATORS) {
            if (s.startsWith(o, i)) {
              op = o;
              break;
            }
          }
          i += op.length();
          out.add(new Tok(Kind.OP, op, start, i));
        }
      }
      return out;
    }
  }

  /** A local variable or parameter that may live in the frame. */
  private static final class Decl {
    final String name;
    final TypeName type;
    String field;

    Decl(String name, TypeName type) {
      this.name = name;
      this.type = type;
    }
  }

  /** A statement of a block: its tokens, and the text from the end of the one before. */
  private static final class Stmt {
    final int first;
    final int end;
    final int textStart;
    Set<String> refs;
    Set<String> assigns;
    Decl declared;
    int declEnd = -1;
    boolean hasInit;
    int estimate;

    Stmt(int first, int end, int textStart) {
      this.first = first;
      this.end = end;
      this.textStart = textStart;
    }
  }

  /** Thrown when the body is outside the subset the splitter knows: the method is kept whole. */
  private static final class Unsplittable extends RuntimeException {
    Unsplittable(String why) {
      super(why, null, false, false);
    }
  }

  /** The cutting of one method. */
  private static final class MethodCut {
    private final MethodSpec method;
    private final Set<String> methodNames;
    private final Set<String> typeNames;
    private final String code;
    private final List<Tok> toks;
    private final Set<String> idents = new HashSet<>();
    private final Set<String> localNames = new HashSet<>();
    private final List<MethodSpec> parts = new ArrayList<>();
    private final Map<Decl, FieldSpec> fields = new LinkedHashMap<>();
    private final Set<String> fieldNames = new HashSet<>();
    private final String frame;
    private final ClassName frameType;
    private final boolean isStatic;
    /** Statements whose declaration gets a neutral initializer (it is stored to the frame). */
    private final Map<Integer, String> insertions = new HashMap<>();

    MethodCut(MethodSpec method, Set<String> methodNames, Set<String> typeNames) {
      this.method = method;
      this.methodNames = methodNames;
      this.typeNames = typeNames;
      this.code = method.code().toString();
      this.toks = Tok.scan(code);
      for (Tok t : toks) {
        if (t.kind == Tok.Kind.IDENT) {
          idents.add(t.text);
        }
      }
      method.parameters().forEach(p -> localNames.add(p.name()));
      String f = "frame";
      for (int k = 2; idents.contains(f) || localNames.contains(f); k++) {
        f = "frame" + k;
      }
      this.frame = f;
      String base = Character.toUpperCase(method.name().charAt(0)) + method.name().substring(1)
          + "Frame";
      String name = base;
      for (int k = 2; typeNames.contains(name); k++) {
        name = base + k;
      }
      typeNames.add(name);
      this.frameType = ClassName.get("", name);
      this.isStatic = method.modifiers().contains(Modifier.STATIC);
    }

    Optional<Split> cut() {
      try {
        return Optional.of(doCut());
      } catch (Unsplittable e) {
        return Optional.empty();
      }
    }

    private Split doCut() {
      // Every name declared anywhere, so that qualified class names are told from locals.
      collectDeclaredNames(0, toks.size());
      Map<String, Decl> scope = new LinkedHashMap<>();
      for (ParameterSpec p : method.parameters()) {
        scope.put(p.name(), new Decl(p.name(), p.type()));
      }
      CodeBlock.Builder body = CodeBlock.builder();
      body.add("// Split into parts that each stay under the JIT's 8000 bytes of bytecode;\n");
      body.add("// the variables they share live in $L.\n", frame);
      body.addStatement("$T $L = new $T()", frameType, frame, frameType);
      List<Stmt> stmts = statements(0, toks.size(), 0);
      if (!block(stmts, scope, body, 0, true, Set.of())) {
        throw new Unsplittable("the method's body");
      }
      MethodSpec.Builder main = MethodSpec.methodBuilder(method.name())
          .addJavadoc(method.javadoc())
          .addAnnotations(method.annotations())
          .addModifiers(method.modifiers())
          .addTypeVariables(method.typeVariables())
          .returns(method.returnType())
          .addParameters(method.parameters())
          .varargs(method.varargs())
          .addExceptions(method.exceptions())
          .addCode(body.build());
      List<MethodSpec> methods = new ArrayList<>();
      methods.add(main.build());
      if (!isStatic) {
        methods.addAll(parts);
      }
      TypeSpec frameClass = TypeSpec.classBuilder(frameType.simpleName())
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("The variables that the parts of {@code $L} share, one object per call"
              + "$L.\n", method.name(), isStatic ? ", and the parts" : "")
          .addFields(fields.values())
          .addMethods(isStatic ? parts : List.of())
          .build();
      return new Split(methods, frameClass);
    }

    private void collectDeclaredNames(int from, int to) {
      for (int i = from; i + 1 < to; i++) {
        Tok t = toks.get(i);
        Tok next = toks.get(i + 1);
        if (t.kind == Tok.Kind.IDENT && !Tok.KEYWORDS.contains(t.text)
            && (next.is("=") || next.is(";") || next.is(":") || next.is(","))) {
          localNames.add(t.text);
        }
      }
    }

    // ---- statements --------------------------------------------------------------------------

    /** The statements between two tokens; {@code textStart} is where the first one's text starts. */
    private List<Stmt> statements(int from, int to, int textStart) {
      List<Stmt> out = new ArrayList<>();
      int i = from;
      int text = textStart;
      while (i < to) {
        int end = end(i);
        if (end > to) {
          throw new Unsplittable("a statement crosses its block");
        }
        Stmt s = new Stmt(i, end, text);
        analyse(s);
        out.add(s);
        text = toks.get(end - 1).end;
        i = end;
      }
      return out;
    }

    /** The index after the statement starting at token {@code i}. */
    private int end(int i) {
      Tok t = toks.get(i);
      if (t.is("{")) {
        return match(i) + 1;
      }
      if (t.is("if")) {
        int j = end(match(i + 1) + 1);
        return j < toks.size() && toks.get(j).is("else") ? end(j + 1) : j;
      }
      if (t.is("for") || t.is("while") || t.is("synchronized")) {
        return end(match(i + 1) + 1);
      }
      if (t.is("do")) {
        int j = end(i + 1);
        return match(j + 1) + 2;
      }
      if (t.is("try")) {
        int j = end(i + 1);
        while (j < toks.size() && toks.get(j).is("catch")) {
          j = end(match(j + 1) + 1);
        }
        return j < toks.size() && toks.get(j).is("finally") ? end(j + 1) : j;
      }
      if (t.is("switch") || t.is("class") || t.is("->")) {
        throw new Unsplittable(t.text);
      }
      int j = i;
      while (j < toks.size() && !toks.get(j).is(";")) {
        Tok u = toks.get(j);
        if (u.is("(") || u.is("[") || u.is("{")) {
          j = match(j);
        } else if (u.is("->")) {
          throw new Unsplittable("a lambda");
        }
        j++;
      }
      return j + 1;
    }

    private int match(int open) {
      String o = toks.get(open).text;
      String c = o.equals("(") ? ")" : o.equals("[") ? "]" : "}";
      int depth = 0;
      for (int j = open; j < toks.size(); j++) {
        Tok t = toks.get(j);
        if (t.is(o)) {
          depth++;
        } else if (t.is(c) && --depth == 0) {
          return j;
        }
      }
      throw new Unsplittable("unbalanced " + o);
    }

    /** Names read and assigned, the declaration, the estimate. */
    private void analyse(Stmt s) {
      s.refs = new HashSet<>();
      s.assigns = new HashSet<>();
      for (int i = s.first; i < s.end; i++) {
        Tok t = toks.get(i);
        if (t.kind != Tok.Kind.IDENT || Tok.KEYWORDS.contains(t.text)) {
          continue;
        }
        boolean member = i > 0 && toks.get(i - 1).is(".");
        boolean call = i + 1 < toks.size() && toks.get(i + 1).is("(");
        if (member || call) {
          continue;
        }
        s.refs.add(t.text);
        Tok next = i + 1 < s.end ? toks.get(i + 1) : null;
        Tok prev = i > s.first ? toks.get(i - 1) : null;
        if (next != null && next.kind == Tok.Kind.OP && isAssignment(next.text)
            || prev != null && (prev.is("++") || prev.is("--"))) {
          s.assigns.add(t.text);
        }
      }
      declaration(s.first, s.end).ifPresent(d -> {
        s.declared = d;
        int name = declaredNameIndex(s.first);
        s.declEnd = name + 1;
        s.hasInit = toks.get(name + 1).is("=");
        s.assigns.remove(d.name);
      });
      s.estimate = estimate(toks, s.first, s.end);
    }

    private static boolean isAssignment(String op) {
      return op.equals("=") || op.equals("++") || op.equals("--")
          || op.length() >= 2 && op.endsWith("=") && !op.equals("==") && !op.equals("!=")
              && !op.equals("<=") && !op.equals(">=");
    }

    /** The local a statement declares at its start ({@code T name = ...;}, {@code T name;}). */
    private Optional<Decl> declaration(int first, int end) {
      int name = declaredNameIndex(first);
      if (name < 0 || name + 1 >= end) {
        return Optional.empty();
      }
      Tok after = toks.get(name + 1);
      if (!after.is("=") && !after.is(";") && !after.is(":")) {
        return Optional.empty();
      }
      if (after.is("=")) {
        // One declarator only.
        for (int j = name + 2; j < end; j++) {
          Tok u = toks.get(j);
          if (u.is("(") || u.is("[") || u.is("{")) {
            j = match(j);
          } else if (u.is(";")) {
            break;
          } else if (u.is(",")) {
            throw new Unsplittable("several declarators");
          }
        }
      }
      return Optional.of(new Decl(toks.get(name).text, type(first, name)));
    }

    /** The index of the declared name if the tokens from {@code first} start a declaration. */
    private int declaredNameIndex(int first) {
      int i = first;
      if (toks.get(i).is("final")) {
        i++;
      }
      Tok t = toks.get(i);
      if (t.kind != Tok.Kind.IDENT || Tok.KEYWORDS.contains(t.text)
          && !Tok.PRIMITIVES.contains(t.text) && !t.text.equals("var")) {
        return -1;
      }
      i++;
      while (i + 1 < toks.size() && toks.get(i).is(".")
          && toks.get(i + 1).kind == Tok.Kind.IDENT) {
        i += 2;
      }
      if (i < toks.size() && toks.get(i).is("<")) {
        throw new Unsplittable("a generic type");
      }
      while (i + 1 < toks.size() && toks.get(i).is("[") && toks.get(i + 1).is("]")) {
        i += 2;
      }
      if (i < toks.size() && toks.get(i).kind == Tok.Kind.IDENT
          && !Tok.KEYWORDS.contains(toks.get(i).text)) {
        return i;
      }
      return -1;
    }

    private TypeName type(int first, int name) {
      int i = toks.get(first).is("final") ? first + 1 : first;
      StringBuilder base = new StringBuilder();
      int dims = 0;
      for (; i < name; i++) {
        Tok t = toks.get(i);
        if (t.is("[")) {
          dims++;
          i++;
        } else {
          base.append(t.text);
        }
      }
      String b = base.toString();
      if (b.equals("var")) {
        throw new Unsplittable("var");
      }
      TypeName type = primitive(b).orElseGet(() -> className(b));
      for (int k = 0; k < dims; k++) {
        type = ArrayTypeName.of(type);
      }
      return type;
    }

    private static Optional<TypeName> primitive(String b) {
      switch (b) {
        case "double":
          return Optional.of(TypeName.DOUBLE);
        case "float":
          return Optional.of(TypeName.FLOAT);
        case "long":
          return Optional.of(TypeName.LONG);
        case "int":
          return Optional.of(TypeName.INT);
        case "short":
          return Optional.of(TypeName.SHORT);
        case "byte":
          return Optional.of(TypeName.BYTE);
        case "char":
          return Optional.of(TypeName.CHAR);
        case "boolean":
          return Optional.of(TypeName.BOOLEAN);
        default:
          return Optional.empty();
      }
    }

    private static ClassName className(String qualified) {
      String[] segments = qualified.split("\\.");
      int k = 0;
      while (k < segments.length && !Character.isUpperCase(segments[k].charAt(0))) {
        k++;
      }
      if (k == segments.length) {
        throw new Unsplittable("a type " + qualified);
      }
      String pkg = String.join(".", java.util.Arrays.copyOfRange(segments, 0, k));
      return ClassName.get(pkg, segments[k],
          java.util.Arrays.copyOfRange(segments, k + 1, segments.length));
    }

    private static String neutral(TypeName type) {
      if (type.equals(TypeName.DOUBLE)) {
        return "0.0";
      } else if (type.equals(TypeName.FLOAT)) {
        return "0.0f";
      } else if (type.equals(TypeName.LONG)) {
        return "0L";
      } else if (type.equals(TypeName.BOOLEAN)) {
        return "false";
      } else if (type.isPrimitive()) {
        return "0";
      }
      return "null";
    }

    // ---- splitting ---------------------------------------------------------------------------

    /**
     * Writes the statements of a block as calls of parts into {@code out}; {@code scope} is what
     * is visible before it, all locals of the method {@code out} belongs to. Returns false if
     * the block cannot be split (a jump out of it, a return other than its last statement).
     */
    /**
     * Writes a block as calls of parts. {@code frameOnly}: the variables of {@code scope} that the
     * part holding this block keeps in the frame only (no local copy), so that nothing is passed
     * around the calls for them.
     */
    private boolean block(List<Stmt> stmts, Map<String, Decl> scope, CodeBlock.Builder out,
        int depth, boolean top, Set<Decl> frameOnly) {
      if (!cuttable(stmts)) {
        return false;
      }
      boolean tailReturn = !stmts.isEmpty() && returns(stmts.get(stmts.size() - 1));
      // The last statement of this block reading each name: a declaration is stored for later
      // runs only if one reads it.
      Map<String, Integer> lastRef = new HashMap<>();
      for (int k = 0; k < stmts.size(); k++) {
        for (String r : stmts.get(k).refs) {
          lastRef.put(r, k);
        }
      }
      Map<String, Decl> visible = new LinkedHashMap<>(scope);
      Set<Decl> current = new HashSet<>();
      int k = 0;
      while (k < stmts.size()) {
        // A run: as many statements as fit; a statement too large by itself ends a run (whose
        // other statements are small) or is one.
        int runEnd = k;
        Set<String> runRefs = new HashSet<>();
        int size = 0;
        while (runEnd < stmts.size()) {
          Stmt s = stmts.get(runEnd);
          if (s.estimate > BUDGET) {
            if (runEnd == k || size <= BUDGET / 2) {
              runEnd++;
            }
            break;
          }
          Set<String> refs = new HashSet<>(runRefs);
          refs.addAll(s.refs);
          int grown = size + s.estimate + 8 * refs.size();
          if (runEnd > k && grown > BUDGET) {
            break;
          }
          size += s.estimate;
          runRefs = refs;
          runEnd++;
        }
        List<Stmt> run = stmts.subList(k, runEnd);
        boolean last = runEnd == stmts.size();
        boolean returning = last && tailReturn;
        // What the run reads from before it, and what it leaves for after it.
        Set<Decl> reads = new LinkedHashSet<>();
        Set<Decl> writes = new LinkedHashSet<>();
        for (Stmt s : run) {
          for (String r : s.refs) {
            Decl d = visible.get(r);
            if (d != null && !declaredIn(run, d)) {
              reads.add(d);
            }
          }
          for (String a : s.assigns) {
            Decl d = visible.get(a);
            if (d != null && !declaredIn(run, d)) {
              writes.add(d);
            }
          }
        }
        List<Decl> later = new ArrayList<>();
        for (Stmt s : run) {
          if (s.declared != null && lastRef.getOrDefault(s.declared.name, -1) >= runEnd) {
            later.add(s.declared);
          }
        }
        // Variables the run's own code never names (only the nested parts of its oversized
        // statements use them) stay in the frame: no load at the part's start, no store at its
        // end, nothing passed around the nested calls.
        Set<String> named = new HashSet<>();
        Map<Stmt, List<Cut>> cuts = new HashMap<>();
        for (Stmt s : run) {
          if (s.estimate > BUDGET) {
            List<Cut> c = cuts(s);
            cuts.put(s, c);
            ownNames(s, c, named);
          } else {
            named.addAll(s.refs);
            named.addAll(s.assigns);
          }
        }
        Set<Decl> partFrameOnly = new HashSet<>();
        for (Decl d : reads) {
          if (!named.contains(d.name)) {
            partFrameOnly.add(d);
          }
        }
        for (Decl d : writes) {
          if (!named.contains(d.name)) {
            partFrameOnly.add(d);
          }
        }
        String part = partName();
        // The parts in the order of their names: an outer part before the parts it calls.
        int slot = parts.size();
        parts.add(null);
        // The part.
        CodeBlock.Builder partBody = CodeBlock.builder();
        for (Decl d : reads) {
          if (!partFrameOnly.contains(d)) {
            partBody.addStatement("$T $L = $L.$L", d.type, d.name, frame, field(d));
          }
        }
        Map<String, Decl> inner = new LinkedHashMap<>(visible);
        for (Stmt s : run) {
          if (s.estimate > BUDGET) {
            oversized(s, cuts.get(s), inner, partBody, depth, partFrameOnly);
          } else {
            text(s, partBody, depth);
          }
          if (s.declared != null) {
            inner.put(s.declared.name, s.declared);
          }
        }
        if (!returning && !(top && last)) {
          for (Decl d : writes) {
            if (!partFrameOnly.contains(d)) {
              partBody.addStatement("$L.$L = $L", frame, field(d), d.name);
            }
          }
          for (Decl d : later) {
            partBody.addStatement("$L.$L = $L", frame, field(d), d.name);
          }
        }
        TypeName returnType = returning ? method.returnType() : TypeName.VOID;
        MethodSpec.Builder pm = MethodSpec.methodBuilder(part)
            .addModifiers(Modifier.PRIVATE)
            .returns(returnType)
            .addParameter(frameType, frame)
            .addExceptions(method.exceptions())
            .addJavadoc("Part of {@code $L}$L.\n", method.name(),
                run.size() == 1 ? "" : " (" + run.size() + " statements)")
            .addCode(partBody.build());
        if (isStatic) {
          pm.addModifiers(Modifier.STATIC);
        }
        parts.set(slot, pm.build());
        // The call. Variables declared in this block live in the frame only; the caller's own
        // locals (declared outside the block) are passed through it around the call.
        for (Decl d : reads) {
          if (scope.get(d.name) == d && !frameOnly.contains(d) && current.add(d)) {
            out.addStatement("$L.$L = $L", frame, field(d), d.name);
          }
        }
        // A static method's parts are members of its frame class, so that their constants
        // fill the frame's class file, not the generated class's (65 535 entries each).
        CodeBlock call = isStatic
            ? CodeBlock.of("$T.$L($L)", frameType, part, frame)
            : CodeBlock.of("$L($L)", part, frame);
        if (returning) {
          out.addStatement("return $L", call);
        } else {
          out.addStatement("$L", call);
          for (Decl d : writes) {
            if (scope.get(d.name) == d && !(top && last) && !frameOnly.contains(d)) {
              out.addStatement("$L = $L.$L", d.name, frame, field(d));
              current.add(d);
            }
          }
        }
        for (Stmt s : run) {
          if (s.declared != null) {
            visible.put(s.declared.name, s.declared);
          }
        }
        k = runEnd;
      }
      return true;
    }

    private static boolean declaredIn(List<Stmt> run, Decl d) {
      for (Stmt s : run) {
        if (s.declared == d) {
          return true;
        }
      }
      return false;
    }

    /** Whether a statement ends its block by returning: {@code return e;}, or a try doing so. */
    private boolean returns(Stmt s) {
      Tok t = toks.get(s.first);
      if (t.is("return")) {
        return true;
      }
      if (t.is("try")) {
        int close = match(s.first + 1);
        List<Stmt> inner = statements(s.first + 2, close, toks.get(s.first + 1).end);
        return !inner.isEmpty() && returns(inner.get(inner.size() - 1));
      }
      return false;
    }

    /** Whether a block can be cut: no jumps, no return but a final one. */
    private boolean cuttable(List<Stmt> stmts) {
      int returns = 0;
      for (Stmt s : stmts) {
        for (int i = s.first; i < s.end; i++) {
          Tok t = toks.get(i);
          if (t.is("break") || t.is("continue") || t.is("yield")) {
            return false;
          }
          if (t.is("return")) {
            returns++;
          }
        }
      }
      boolean tailReturn = !stmts.isEmpty() && returns(stmts.get(stmts.size() - 1));
      return returns <= (tailReturn ? 1 : 0);
    }

    /** A block directly in an oversized statement: its braces, statements, whether it is cut. */
    private record Cut(int open, int close, List<Stmt> stmts, boolean split) {}

    /**
     * The blocks directly in an oversized statement: an opening brace after ')' , 'else', 'do',
     * 'try', 'finally', or the statement's own; those large enough and cuttable are cut.
     */
    private List<Cut> cuts(Stmt s) {
      List<Cut> blocks = new ArrayList<>();
      for (int i = s.first; i < s.end; i++) {
        Tok t = toks.get(i);
        if (t.is("(") || t.is("[")) {
          i = match(i);
        } else if (t.is("{")) {
          Tok prev = i > s.first ? toks.get(i - 1) : null;
          int close = match(i);
          if (prev == null || prev.is(")") || prev.is("else") || prev.is("do")
              || prev.is("try") || prev.is("finally")) {
            List<Stmt> stmts = statements(i + 1, close, t.end);
            boolean split = estimate(toks, i + 1, close) > BUDGET / 2 && cuttable(stmts);
            blocks.add(new Cut(i, close, stmts, split));
          }
          i = close;
        }
      }
      return blocks;
    }

    /** The names an oversized statement's own code uses: all but those inside its cut blocks. */
    private void ownNames(Stmt s, List<Cut> cuts, Set<String> out) {
      int i = s.first;
      for (Cut c : cuts) {
        if (c.split()) {
          names(i, c.open() + 1, out);
          i = c.close();
        }
      }
      names(i, s.end, out);
    }

    private void names(int from, int to, Set<String> out) {
      for (int i = from; i < to; i++) {
        Tok t = toks.get(i);
        if (t.kind == Tok.Kind.IDENT) {
          out.add(t.text);
        }
      }
    }

    /**
     * A statement too large for one part: its text, with each of its blocks (a loop's body,
     * the branches of an if, a try's blocks) written as calls of parts.
     */
    private void oversized(Stmt s, List<Cut> cuts, Map<String, Decl> scope,
        CodeBlock.Builder out, int depth, Set<Decl> frameOnly) {
      Map<String, Decl> inner = new LinkedHashMap<>(scope);
      for (int i = s.first; i < s.end; i++) {
        Tok t = toks.get(i);
        if (t.is("(")) {
          if (i > 0 && toks.get(i - 1).is("for")) {
            Optional<Decl> header = declaration(i + 1, match(i));
            if (header.isPresent()) {
              inner.put(header.get().name, header.get());
            }
          }
          i = match(i);
        } else if (t.is("[")) {
          i = match(i);
        } else if (t.is("{")) {
          i = match(i);
        }
      }
      int at = s.first;
      int textFrom = s.textStart;
      for (Cut b : cuts) {
        // The text up to and including the opening brace, then the block's statements.
        emitText(textFrom, at, b.open() + 1, out, depth);
        out.add("\n").indent();
        CodeBlock.Builder split = CodeBlock.builder();
        if (b.split() && block(b.stmts(), inner, split, depth + 1, false, frameOnly)) {
          out.add(split.build());
        } else {
          for (Stmt st : b.stmts()) {
            text(st, out, depth + 1);
          }
        }
        out.unindent();
        at = b.close();
        textFrom = closingLineStart(b.close());
      }
      emitText(textFrom, at, s.end, out, depth);
      out.add("\n");
    }

    /** Where the line holding a closing brace starts, so its indentation is copied with it. */
    private int closingLineStart(int close) {
      int p = toks.get(close).start;
      while (p > 0 && code.charAt(p - 1) == ' ') {
        p--;
      }
      return p;
    }

    /** A statement's text, its declaration given a neutral initializer if it has none. */
    private void text(Stmt s, CodeBlock.Builder out, int depth) {
      if (s.declared != null && !s.hasInit && !toks.get(s.declEnd).is(":")) {
        insertions.put(s.declEnd, " = " + neutral(s.declared.type));
      }
      emitText(s.textStart, s.first, s.end, out, depth);
      out.add("\n");
    }

    /**
     * The source text from {@code textFrom} to the end of token {@code to - 1}, re-indented from
     * {@code depth} to the current level, with qualified class names as {@code $T}.
     */
    private void emitText(int textFrom, int from, int to, CodeBlock.Builder out, int depth) {
      StringBuilder pending = new StringBuilder();
      int pos = textFrom;
      // Blank lines before a statement are dropped; its first line starts a line.
      while (pos < toks.get(from).start && code.charAt(pos) == '\n') {
        pos++;
      }
      boolean lineStart = true;
      for (int i = from; i < to; i++) {
        Tok t = toks.get(i);
        pending.append(code, pos, t.start);
        Optional<int[]> qualified = qualifiedType(i, to);
        if (qualified.isPresent()) {
          int last = qualified.get()[0];
          out.add("$L", reindent(pending.toString(), depth, lineStart));
          lineStart = false;
          pending.setLength(0);
          out.add("$T", className(code.substring(t.start, toks.get(last).end)));
          pos = toks.get(last).end;
          i = last;
          continue;
        }
        String ins = insertions.remove(i);
        if (ins != null) {
          pending.append(ins);
        }
        pending.append(t.text);
        pos = t.end;
      }
      out.add("$L", reindent(pending.toString(), depth, lineStart));
    }

    /** If token {@code i} starts a qualified class name, the index of its last segment. */
    private Optional<int[]> qualifiedType(int i, int to) {
      Tok t = toks.get(i);
      if (t.kind != Tok.Kind.IDENT || Tok.KEYWORDS.contains(t.text)
          || !Character.isLowerCase(t.text.charAt(0)) || localNames.contains(t.text)
          || i > 0 && toks.get(i - 1).is(".")) {
        return Optional.empty();
      }
      int j = i;
      int classSegment = -1;
      while (j + 2 < to && toks.get(j + 1).is(".") && toks.get(j + 2).kind == Tok.Kind.IDENT
          && toks.get(j + 1).start == toks.get(j).end
          && toks.get(j + 2).start == toks.get(j + 1).end) {
        String seg = toks.get(j + 2).text;
        boolean upper = Character.isUpperCase(seg.charAt(0));
        if (classSegment < 0) {
          j += 2;
          if (upper) {
            classSegment = j;
          }
        } else if (upper && !seg.equals(seg.toUpperCase(java.util.Locale.ROOT))
            && !(j + 3 < to && toks.get(j + 3).is("("))) {
          j += 2;
          classSegment = j;
        } else {
          break;
        }
      }
      return classSegment < 0 ? Optional.empty() : Optional.of(new int[] {classSegment});
    }

    /** Lines indented by two spaces per level in the printed body, moved {@code depth} left. */
    private static String reindent(String s, int depth, boolean lineStart) {
      if (s.indexOf('\n') < 0 && !lineStart) {
        return s;
      }
      StringBuilder out = new StringBuilder();
      int i = 0;
      while (i < s.length()) {
        int nl = s.indexOf('\n', i);
        if (nl < 0) {
          out.append(relevel(s.substring(i), depth, i > 0 || lineStart));
          break;
        }
        out.append(relevel(s.substring(i, nl), depth, i > 0 || lineStart)).append('\n');
        i = nl + 1;
      }
      return out.toString();
    }

    private static String relevel(String line, int depth, boolean lineStart) {
      if (!lineStart) {
        return line;
      }
      int spaces = 0;
      while (spaces < line.length() && line.charAt(spaces) == ' ') {
        spaces++;
      }
      int levels = Math.max(0, spaces / 2 - depth);
      return "    ".repeat(levels) + line.substring(spaces);
    }

    private String partName() {
      String name;
      int k = parts.size() + 1;
      // (the caller reserves the slot right after)
      do {
        name = method.name() + "Part" + k++;
      } while (methodNames.contains(name));
      methodNames.add(name);
      return name;
    }

    private String field(Decl d) {
      FieldSpec f = fields.get(d);
      if (f == null) {
        String name = d.name;
        for (int k = 2; fieldNames.contains(name); k++) {
          name = d.name + k;
        }
        fieldNames.add(name);
        d.field = name;
        f = FieldSpec.builder(d.type, name).build();
        fields.put(d, f);
      }
      return d.field;
    }
  }
}
