# inf and nan from the math module and from IEEE arithmetic; comparisons with nan are False
from math import inf, nan

fn main():
    print(inf, -inf, nan)
    var big = 1e300
    var over = big * big
    print(over)
    print(-over)
    print(over - over)
    print(over * 0.0)
    print(inf + 1.0, inf * -2.0)
    print(1.0 / inf, -1.0 / inf)
    print(nan == nan, nan != nan, nan < 1.0, nan > 1.0)
    print(inf > 1e308, -inf < -1e308, inf == inf)
    var x = nan
    print(x == x)
    print(nan + 1.0, nan * 0.0)
    var m = 5e-324
    print(m / 2.0, m * 0.5, m * 2.0)
    print(-0.0 == 0.0)
    print(0.0 * -1.0)
