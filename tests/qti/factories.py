"""One authored item of every question type, shared by the QTI tests."""

from qti import Choice, Item, Media, NumericAnswer, Statement

#: Vietnamese text with every kind of mark: tones, horn/breve letters, đ, upper case.
VIETNAMESE = "Hàm số đồng biến trên ℝ? Ước lượng: “Đúng” hay “Sai”, Ông Ưng ở Đà Nẵng."
MATH = "<math><mfrac><mn>1</mn><mn>2</mn></mfrac><mo>+</mo><msqrt><mi>x</mi></msqrt></math>"


def make_items() -> dict[str, Item]:
    """Return one rich item per question type (all with identifiers)."""
    return {
        "single_choice": Item(
            type="single_choice",
            identifier="Q-single",
            title="Câu một lựa chọn",
            stem=f"<p>{VIETNAMESE}</p><p>Tính {MATH} khi <b>x = 4</b>.</p>"
            '<p><img src="media/do-thi.png" alt="Đồ thị hàm số"></p>',
            choices=(
                Choice("A", "2,5"),
                Choice("B", "<u>2</u>"),
                Choice("C", "<i>4</i> &amp; 5"),
                Choice("D", "Không xác định"),
            ),
            correct=("A",),
            explanation="<p>Vì √4 = 2 nên kết quả là 2,5.</p>",
            shuffle=True,
            media=(
                Media("media/do-thi.png", "image/png", "Đồ thị hàm số"),
                Media("media/bai-doc.mp3", "audio/mpeg", "Bài đọc"),
            ),
        ),
        "multiple_response": Item(
            type="multiple_response",
            identifier="Q-multiple",
            stem="<p>Chọn các số nguyên tố:</p>",
            choices=(
                Choice("A", "2"),
                Choice("B", "4"),
                Choice("C", "5"),
                Choice("D", "9"),
            ),
            correct=("A", "C"),
        ),
        "true_false": Item(
            type="true_false",
            identifier="Q-tf",
            stem="Trái Đất quay quanh Mặt Trời.",
            correct=("true",),
            explanation="Đúng: một vòng mất khoảng 365,25 ngày.",
        ),
        "true_false_cluster": Item(
            type="true_false_cluster",
            identifier="Q-cluster",
            stem="<p>Cho hàm số y = x² − 4x + 3.</p>",
            statements=(
                Statement("a", "Đồ thị cắt trục hoành tại hai điểm.", True),
                Statement("b", "Hàm số đồng biến trên ℝ.", False),
                Statement("c", f"Đỉnh là {MATH}.", False),
                Statement("d", "Giá trị nhỏ nhất là −1.", True),
            ),
            explanation="<p>Xét Δ = 16 − 12 = 4 &gt; 0.</p>",
        ),
        "numeric": Item(
            type="numeric",
            identifier="Q-numeric",
            stem="<p>Tính gần đúng π (làm tròn đến hàng phần trăm).</p>",
            numeric=NumericAnswer(3.14, 0.005),
        ),
        "numeric_integer": Item(
            type="numeric",
            identifier="Q-integer",
            stem="Một tam giác có bao nhiêu cạnh?",
            numeric=NumericAnswer(3, 0.0, "integer"),
        ),
    }
