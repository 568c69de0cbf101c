# sum of decimal digits, digital root, digit reversal and palindromes
fn digit_sum(n: Int) -> Int:
    var m = n if n >= 0 else -n
    var s = 0
    while m > 0:
        s += m % 10
        m //= 10
    return s

fn digital_root(n: Int) -> Int:
    var m = n
    while m >= 10:
        m = digit_sum(m)
    return m

fn reverse_digits(n: Int) -> Int:
    var m = n
    var r = 0
    while m > 0:
        r = r * 10 + m % 10
        m //= 10
    return r

fn main():
    print(digit_sum(0), digit_sum(12345), digit_sum(-987), digit_sum(9223372036854775807))
    print(digital_root(987654321), digital_root(5))
    print(reverse_digits(12345), reverse_digits(1200))
    var pals = 0
    for n in range(1, 1000):
        if reverse_digits(n) == n:
            pals += 1
    print("palindromes below 1000:", pals)
    var total = 0
    for n in range(1, 101):
        total += digit_sum(n)
    print(total)
