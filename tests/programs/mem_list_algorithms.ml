# Lists in small algorithms: sieve, insertion sort, a stack machine, merging, dedup
fn sieve(n: Int) -> List[Int]:
    var marks = List[Bool]()
    for i in range(n + 1):
        marks.append(i >= 2)
    var i = 2
    while i * i <= n:
        if marks[i]:
            for j in range(i * i, n + 1, i):
                marks[j] = False
        i += 1
    var primes = List[Int]()
    for k in range(n + 1):
        if marks[k]:
            primes.append(k)
    return primes

fn insertion_sort(mut l: List[Int]):
    for i in range(1, len(l)):
        var x = l[i]
        var j = i - 1
        while j >= 0 and l[j] > x:
            l[j + 1] = l[j]
            j -= 1
        l[j + 1] = x

fn sorted_copy(l: List[Int]) -> List[Int]:
    var c = l
    insertion_sort(c)
    return c

fn merge(a: List[Int], b: List[Int]) -> List[Int]:
    var out = List[Int]()
    var i = 0
    var j = 0
    while i < len(a) or j < len(b):
        if j >= len(b) or (i < len(a) and a[i] <= b[j]):
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    return out

fn dedup(l: List[Int]) -> List[Int]:
    var out = List[Int]()
    for x in l:
        if len(out) == 0 or out[len(out) - 1] != x:
            out.append(x)
    return out

fn show(l: List[Int]):
    for x in l:
        print(x, end=" ")
    print("|", len(l))

fn rpn(code: List[Int]) -> Int:
    # >= 0 pushes itself; -1 add, -2 multiply, -3 subtract, -4 duplicate
    var stack = List[Int]()
    for op in code:
        if op >= 0:
            stack.append(op)
        elif op == -4:
            var top = stack.pop()
            stack.append(top)
            stack.append(top)
        else:
            var b = stack.pop()
            var a = stack.pop()
            if op == -1:
                stack.append(a + b)
            elif op == -2:
                stack.append(a * b)
            else:
                stack.append(a - b)
    return stack.pop()

fn main():
    var primes = sieve(100)
    print(len(primes), primes[0], primes[len(primes) - 1])
    var s = 0
    for p in primes:
        s += p
    print(s)
    print(len(sieve(10000)))

    var data = List[Int](5, -2, 9, 0, 5, 3, -2, 8, 1, 5)
    var sorted = sorted_copy(data)
    show(data)
    show(sorted)
    show(dedup(sorted))
    insertion_sort(data)
    show(data)
    var evens = List[Int](0, 2, 4, 6, 8, 10)
    var odds = List[Int](1, 3, 5)
    show(merge(evens, odds))
    show(merge(odds, List[Int]()))
    show(merge(List[Int](), List[Int]()))

    # (3 + 4) * (5 - 2) duplicated and added
    print(rpn(List[Int](3, 4, -1, 5, 2, -3, -2, -4, -1)))

    # reverse by popping into another list
    var src = List[Int](1, 2, 3, 4, 5)
    var rev = List[Int]()
    while len(src) > 0:
        rev.append(src.pop())
    show(rev)
    show(src)
    # a sorted list of 500 pseudo-random values
    var big = List[Int]()
    var x = 7
    for i in range(500):
        x = (x * 1103515245 + 12345) % 2147483648
        big.append(x % 1000)
    insertion_sort(big)
    var ok = True
    for i in range(1, len(big)):
        if big[i - 1] > big[i]:
            ok = False
    print(ok, big[0], big[249], big[499], len(dedup(big)))
