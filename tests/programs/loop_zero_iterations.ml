# loops whose bodies never run
fn main():
    var count = 0
    for i in range(0):
        count += 1
    for i in range(5, 5):
        count += 1
    for i in range(5, 0):
        count += 1
    for i in range(0, 5, -1):
        count += 1
    for i in range(-3, -3, -1):
        count += 1
    var n = -4
    for i in range(n):
        count += 1
    while False:
        count += 1
    var k = 10
    while k < 10:
        count += 1
    print("count:", count)
    for i in range(3):
        for j in range(i, 0):
            count += 100
    print("still:", count)
