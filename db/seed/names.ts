// Synthetic Vietnamese names for demo data: deterministic, so a re-seed gives the same people.
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Trương', 'Đinh', 'Lâm', 'Mai'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Đức', 'Thu', 'Hoài', 'Kim', 'Gia', 'Xuân', 'Bảo', 'Công'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vân', 'Yến', 'Hiếu', 'Thắng', 'Nhung', 'Phương', 'Tùng', 'Đạt', 'Huy', 'Khoa', 'Loan', 'Oanh', 'Quyên', 'Trí', 'Uyên', 'Việt', 'Xuyến', 'Ánh'];

export function syntheticName(seed: number): string {
	// A multiplicative hash spreads consecutive seeds over the lists.
	const h = Math.imul(seed + 1, 2654435761) >>> 0;
	return `${FAMILY[h % FAMILY.length]} ${MIDDLE[(h >>> 8) % MIDDLE.length]} ${GIVEN[(h >>> 16) % GIVEN.length]}`;
}
