package dev.adjoint.processor.reverse;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.adjoint.processor.reverse.ReverseModeFixture.check;
import static dev.adjoint.processor.reverse.ReverseModeFixture.compilation;
import static dev.adjoint.processor.reverse.ReverseModeFixture.diff;
import static dev.adjoint.processor.reverse.ReverseModeFixture.grad;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.processor.testing.GradientAssert.Gradient;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of the generated scalar API across the reverse-mode sources: record components
 * (names, order, inactive parameters), method shapes, {@code mAdjoint} accumulating into its array,
 * and gradient calls without observable effects.
 *
 * <p>Sources and compilation are shared through {@link ReverseModeFixture}; this class declares no
 * source of its own.
 */
class GeneratedContractTest {

  private static List<String> componentNames(String className, String recordName)
      throws ClassNotFoundException {
    Class<?> d = diff(className);
    Class<?> rec = Class.forName(d.getName() + "$" + recordName, true, d.getClassLoader());
    assertWithMessage("%s is a record", rec).that(rec.isRecord()).isTrue();
    assertWithMessage("%s is nested in %s", rec, d).that(rec.getEnclosingClass()).isEqualTo(d);
    return Arrays.stream(rec.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  @Test
  void generatedApiShapeWithIntBetweenDoubles() throws Exception {
    assertThat(componentNames("Helper", "WithIntGrad")).containsExactly("value", "dX", "dY").inOrder();
    Class<?> d = diff("Helper");
    Method m = d.getMethod("withIntGrad", double.class, int.class, double.class);
    assertThat(m.getReturnType().getSimpleName()).isEqualTo("WithIntGrad");
    assertThat(java.lang.reflect.Modifier.isStatic(m.getModifiers())).isTrue();
    assertThat(java.lang.reflect.Modifier.isPublic(m.getModifiers())).isTrue();
  }

  @Test
  void generatedApiShapeInactiveParametersGetNoComponent() throws Exception {
    assertThat(componentNames("Calls", "PowGrad")).containsExactly("value", "dX").inOrder();
    assertThat(componentNames("Basics", "IntBoolLogicGrad")).containsExactly("value", "dX").inOrder();
    assertThat(componentNames("Basics", "LongLogicGrad")).containsExactly("value", "dX").inOrder();
  }

  @Test
  void generatedApiShapeMultiLetterNames() throws Exception {
    assertThat(componentNames("Exact", "BlackScholesGrad"))
        .containsExactly("value", "dSpot", "dStrike", "dRate", "dVol", "dT")
        .inOrder();
    assertThat(compilation("Exact").generatedSource("p.ExactDiff")).contains("class ExactDiff");
  }

  @Test
  void generatedApiShapeFloat() throws Exception {
    assertThat(componentNames("Floats", "MixedFloatDoubleGrad"))
        .containsExactly("value", "dA", "dB")
        .inOrder();
  }

  @Test
  void adjointAccumulatesIntoTheArray() throws Exception {
    Class<?> d = diff("Exact");
    Gradient g = check("Exact", "complexe", 7.0, 5.0, 2.0);
    Method adjoint =
        d.getDeclaredMethod(
            "complexeAdjoint",
            double.class, double.class, double.class, double.class, double[].class);
    adjoint.setAccessible(true);
    double[] adjoints = {1.0, 10.0, 100.0};
    double value = (double) adjoint.invoke(null, 7.0, 5.0, 2.0, 2.0, adjoints);
    assertThat(Double.doubleToLongBits(value)).isEqualTo(Double.doubleToLongBits(g.value()));
    assertThat(adjoints[0]).isWithin(1e-12 * 20).of(1.0 + 2.0 * g.d(0));
    assertThat(adjoints[1]).isWithin(1e-12 * 20).of(10.0 + 2.0 * g.d(1));
    assertThat(adjoints[2]).isWithin(1e-12 * 200).of(100.0 + 2.0 * g.d(2));
  }

  @Test
  void gradientCallsHaveNoObservableEffect() {
    Object[][] calls = {
      {"Exact", "blackScholes", new Object[] {120.0, 90.0, 0.05, 0.25, 2.0}},
      {"Calls", "fibPoly", new Object[] {1.1, 8}},
      {"Calls", "recTwoActive", new Object[] {0.6, -1.2, 5}},
      {"Loops", "labelledData", new Object[] {1.3}},
      {"Loops", "nestedLoops", new Object[] {0.9, 3, 4}},
      {"Basics", "reassignParams", new Object[] {0.8, 1.9}},
    };
    List<String> failures = new ArrayList<>();
    for (Object[] c : calls) {
      try {
        checkNoObservableEffect((String) c[0], (String) c[1], (Object[]) c[2]);
      } catch (AssertionError e) {
        failures.add(e.getMessage().lines().limit(3).reduce((a, b) -> a + "\n" + b).orElse(""));
      }
    }
    if (!failures.isEmpty()) {
      fail(String.join("\n", failures));
    }
  }

  private static void checkNoObservableEffect(String cls, String method, Object[] args) {
    Object[] copy = args.clone();
    Gradient first = grad(cls, method, args);
    Gradient second = grad(cls, method, args);
    assertThat(args).isEqualTo(copy);
    String what = cls + "." + method + Arrays.toString(args);
    assertWithMessage("%s value", what)
        .that(Double.doubleToLongBits(second.value()))
        .isEqualTo(Double.doubleToLongBits(first.value()));
    for (int i = 0; i < first.partials().length; i++) {
      assertWithMessage("%s %s: %s then %s", what, first.names().get(i), first.d(i), second.d(i))
          .that(Double.doubleToLongBits(second.d(i)))
          .isEqualTo(Double.doubleToLongBits(first.d(i)));
    }
    // The record's own equality (component-wise) must agree, too.
    assertThat(second.record()).isEqualTo(first.record());
  }
}
