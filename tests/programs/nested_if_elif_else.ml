# nested if / elif / else chains
fn classify(n: Int) -> Int:
    if n < 0:
        if n < -100:
            return -2
        else:
            return -1
    elif n == 0:
        return 0
    elif n < 10:
        return 1
    elif n < 100:
        if n % 2 == 0:
            return 2
        return 3
    else:
        return 4

fn grade(score: Int):
    if score >= 90:
        print(score, "A")
    elif score >= 80:
        print(score, "B")
    elif score >= 70:
        print(score, "C")
    else:
        if score < 0:
            print(score, "invalid")
        else:
            print(score, "F")

fn main():
    print(classify(-500), classify(-5), classify(0), classify(7))
    print(classify(42), classify(43), classify(1000))
    grade(95)
    grade(85)
    grade(70)
    grade(12)
    grade(-1)
    var x = 15
    if x > 10:
        if x > 20:
            print("big")
        elif x > 12:
            print("medium")
        else:
            pass
    else:
        print("small")
