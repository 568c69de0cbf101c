# range with a negative step counts down and stops before reaching stop
fn main():
    for i in range(10, 0, -3):
        print(i)
    for i in range(5, -6, -2):
        print(i, end=" ")
    print("end")
    var s = 0
    for i in range(100, 0, -1):
        s += i
    print(s)
    var count = 0
    for i in range(0, -10, -1):
        count += 1
    print(count)
    var n = 6
    for i in range(n - 1, -1, -1):
        print(i, end="")
    print("")
    var a = 3
    var b = -3
    for i in range(a, b, -a):
        print("step", i)
