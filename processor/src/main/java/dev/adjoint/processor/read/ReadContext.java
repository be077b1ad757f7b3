package dev.adjoint.processor.read;

import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import dev.adjoint.processor.diagnostics.Abort;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Position;

/**
 * What the readers of one method body share: the scope of the names declared so far, the
 * symbols around the method, and the reporter of what falls outside the supported subset.
 */
final class ReadContext {
  private final Symbols symbols;
  private final Reporter reporter;
  private final Scope scope = new Scope();

  /** Locals whose declaration was rejected: reading them reports nothing more. */
  private final java.util.Set<String> poisoned = new java.util.HashSet<>();

  /** Record and record-array parameters, by name: their flattened components. */
  private final java.util.Map<String, dev.adjoint.processor.ir.ObjectShape> records =
      new java.util.HashMap<>();

  /** Variables holding enum ordinals (or arrays of them), with their enum class. */
  private final java.util.Map<dev.adjoint.processor.ir.Variable,
      javax.lang.model.element.TypeElement> enums = new java.util.HashMap<>();

  ReadContext(Symbols symbols, Reporter reporter) {
    this.symbols = symbols;
    this.reporter = reporter;
  }

  Symbols symbols() {
    return symbols;
  }

  Scope scope() {
    return scope;
  }

  /** Locals naming a record (an element of a record array, a component): what they name. */
  private final java.util.Map<String, ExpressionReader.RecordRef> recordAliases =
      new java.util.HashMap<>();

  void declareRecordAlias(String name, ExpressionReader.RecordRef ref) {
    recordAliases.put(name, ref);
  }

  java.util.Optional<ExpressionReader.RecordRef> recordAlias(String name) {
    return java.util.Optional.ofNullable(recordAliases.get(name));
  }

  /** The record names of one body, set aside while an inlined method's body is read. */
  record RecordNames(java.util.Map<String, dev.adjoint.processor.ir.ObjectShape> records,
      java.util.Map<String, ExpressionReader.RecordRef> aliases) {}

  /** Hides every record name declared so far (an inlined body sees only its own). */
  RecordNames setAsideRecords() {
    RecordNames saved = new RecordNames(new java.util.HashMap<>(records),
        new java.util.HashMap<>(recordAliases));
    records.clear();
    recordAliases.clear();
    return saved;
  }

  /** Brings back the record names {@link #setAsideRecords} hid, dropping the inlined body's. */
  void restoreRecords(RecordNames saved) {
    records.clear();
    records.putAll(saved.records());
    recordAliases.clear();
    recordAliases.putAll(saved.aliases());
  }

  void declareRecord(dev.adjoint.processor.ir.ObjectShape shape) {
    records.put(shape.name(), shape);
  }

  java.util.Optional<dev.adjoint.processor.ir.ObjectShape> record(String name) {
    return java.util.Optional.ofNullable(records.get(name));
  }

  void declareEnum(dev.adjoint.processor.ir.Variable v, javax.lang.model.element.TypeElement e) {
    enums.put(v, e);
  }

  java.util.Optional<javax.lang.model.element.TypeElement> enumOf(
      dev.adjoint.processor.ir.Variable v) {
    return java.util.Optional.ofNullable(enums.get(v));
  }

  /** Enum constants read (literals holding their ordinals), by identity. */
  private final java.util.Map<dev.adjoint.processor.ir.Expr,
      javax.lang.model.element.TypeElement> enumConstants = new java.util.IdentityHashMap<>();

  void declareEnumConstant(dev.adjoint.processor.ir.Expr constant,
      javax.lang.model.element.TypeElement e) {
    enumConstants.put(constant, e);
  }

  java.util.Optional<javax.lang.model.element.TypeElement> enumConstant(
      dev.adjoint.processor.ir.Expr constant) {
    return java.util.Optional.ofNullable(enumConstants.get(constant));
  }

  /** Random generator locals, by their state variable. */
  private final java.util.Map<dev.adjoint.processor.ir.Variable, Generators.Generator>
      generators = new java.util.HashMap<>();

  void declareGenerator(Generators.Generator g) {
    generators.put(g.state(), g);
  }

  /** The generator whose state {@code v} is, when it is one. */
  java.util.Optional<Generators.Generator> generator(dev.adjoint.processor.ir.Variable v) {
    return java.util.Optional.ofNullable(generators.get(v));
  }

  /** Marks a local whose declaration was rejected, so that its uses are not reported too. */
  void poison(String name) {
    poisoned.add(name);
  }

  boolean poisoned(String name) {
    return poisoned.contains(name);
  }

  /** Reports {@code message} at {@code at}; the caller throws the result. */
  Abort error(Message message, Tree at, Object... args) {
    reporter.report(message, new Position(at), args);
    return new Abort();
  }

  /** Reports a construct outside the subset, with what to write instead. */
  Abort unsupported(Tree at, String construct, String advice) {
    return error(at.getKind().name().endsWith("STATEMENT") || at instanceof StatementTree
        ? Message.UNSUPPORTED_STATEMENT : Message.UNSUPPORTED_EXPRESSION, at, construct, advice);
  }
}
