// Runs after the user project's build. Checks the line Example.main printed (in build.log) against
// the closed form, computed here independently of Adjoint: f = x^2 sin y, df/dx = 2x sin y,
// df/dy = x^2 cos y, at (3, 0.5).
def log = new File(basedir, 'build.log').text
def m = log =~ /f = (\S+), df\/dx = (\S+), df\/dy = (\S+)/
assert m.find() : "Example.main printed no gradient line; build.log:\n" + log
double x = 3, y = 0.5
def expected = [x * x * Math.sin(y), 2 * x * Math.sin(y), x * x * Math.cos(y)]
def actual = (1..3).collect { Double.parseDouble(m.group(it)) }
[['f', 'df/dx', 'df/dy'], expected, actual].transpose().each { name, e, a ->
  assert Math.abs(a - e) <= 1e-12 * Math.abs(e) : "$name: printed $a, closed form $e"
}
println "user project: f = ${actual[0]}, df/dx = ${actual[1]}, df/dy = ${actual[2]}, as the closed form says"
return true
