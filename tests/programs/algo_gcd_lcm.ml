# iterative gcd with tuple assignment, lcm, lcm of 1..20, extended Euclid
fn gcd(a: Int, b: Int) -> Int:
    var x = a
    var y = b
    while y != 0:
        x, y = y, x % y
    return x

fn lcm(a: Int, b: Int) -> Int:
    return a // gcd(a, b) * b

fn main():
    print(gcd(12, 18), lcm(12, 18))
    print(gcd(35, 64), lcm(35, 64))
    var l = 1
    for k in range(1, 21):
        l = lcm(l, k)
    print("lcm(1..20) =", l)
    var old_r = 240
    var r = 46
    var old_s = 1
    var s = 0
    var old_t = 0
    var t = 1
    while r != 0:
        var q = old_r // r
        old_r, r = r, old_r - q * r
        old_s, s = s, old_s - q * s
        old_t, t = t, old_t - q * t
    print(old_r, old_s, old_t, 240 * old_s + 46 * old_t)
    var coprime = 0
    for a in range(1, 31):
        for b in range(1, 31):
            if gcd(a, b) == 1:
                coprime += 1
    print(coprime)
