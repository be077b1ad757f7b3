package dev.adjoint.processor.ir;

/**
 * Where an IR node came from in the source, opaque to every stage but the reporter (which
 * knows it is a javac tree). Stages that build IR without javac use {@link #NONE}.
 */
public record Position(Object tree) {
  public static final Position NONE = new Position(null);
}
