package dev.adjoint.processor.fuzz;

/**
 * Prints one generated class ({@code java ... PrintProgram SEED COUNT}: {@code COUNT} methods
 * of the run with seed {@code SEED}, as the fuzzer compiles them), for timing {@code javac} by
 * hand on the fuzzer's programs (docs/robustness.md, "Generated size and compile time"). The
 * profile is the fuzzer's, {@code -Dadjoint.fuzz.profile}.
 */
public final class PrintProgram {
  private PrintProgram() {}

  public static void main(String[] args) {
    long seed = Long.parseLong(args[0]);
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Ast.ClassUnit unit = ProgramGenerator.generateClass(seed, 0, 0, count, "Fz");
    System.out.print(JavaWriter.print(unit, JavaWriter.Mode.DIFF).source());
  }
}
