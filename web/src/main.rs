fn main() {
    backboard_web::start()
}
