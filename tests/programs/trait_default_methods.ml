# A trait method with a body of its own (not `...`) is a default: a struct that lists
# the trait (or one refining it) and does not define the method has this one, checked
# with `self` of that struct; a struct's own definition wins; `pass` is a no-op default.

trait Named:
    fn name(self) -> String: ...

    fn greet(self) -> String:
        return "hello, " + self.name()

    fn note(self):
        pass


trait Loud(Named):
    fn shout(self) -> String:
        return self.greet().upper() + "!"


@fieldwise_init
struct Duck(Loud):
    var id: Int

    fn name(self) -> String:
        return "duck " + String(self.id)


@fieldwise_init
struct Robot(Named):
    fn name(self) -> String:
        return "robot"

    fn greet(self) -> String:
        return "beep"


fn introduce[T: Named](x: T) -> String:
    x.note()
    return x.greet()


fn main():
    var d = Duck(7)
    print(d.greet(), "|", d.shout(), "|", introduce(d))
    print(Robot().greet(), "|", introduce(Robot()))
