# fizzbuzz-style output with strings and numbers, using elif chains
fn main():
    for i in range(1, 22):
        if i % 15 == 0:
            print("FizzBuzz")
        elif i % 3 == 0:
            print("Fizz")
        elif i % 5 == 0:
            print("Buzz")
        else:
            print(i)
    var fizz = 0
    var buzz = 0
    var both = 0
    for i in range(1, 101):
        var by3 = i % 3 == 0
        var by5 = i % 5 == 0
        if by3 and by5:
            both += 1
        elif by3:
            fizz += 1
        elif by5:
            buzz += 1
    print("fizz:", fizz, "buzz:", buzz, "fizzbuzz:", both)
