/**
 * A realistic sample resolution, shared by the tests and the benchmark (not used in production).
 * Long enough to need three A4 pages.
 */
import type { ResolutionDocument } from './render.js';

export const LONG_ARTICLE_TEXT =
	'Giao Ủy ban nhân dân phường Bến Thành tổ chức triển khai thực hiện Nghị quyết này; định kỳ sáu tháng báo cáo ' +
	'Hội đồng nhân dân phường về tiến độ, khó khăn, vướng mắc và đề xuất giải pháp tháo gỡ, bảo đảm sử dụng vốn đầu tư ' +
	'công đúng mục đích, tiết kiệm, hiệu quả, công khai, minh bạch, phòng, chống tham nhũng, lãng phí.';

export function sampleResolution(overrides: Partial<ResolutionDocument> = {}): ResolutionDocument {
	const projects = [
		'Cải tạo, nâng cấp hẻm 47 đường Lê Thánh Tôn',
		'Chống ngập khu vực đường Nguyễn Thái Học và Phạm Ngũ Lão',
		'Sửa chữa Trường Tiểu học Bến Thành (khối lớp học 3 tầng)',
		'Lắp đặt camera giám sát an ninh trật tự tại 24 điểm giao cắt',
		'Cải tạo công viên và lối đi bộ dọc đường Hàm Nghi',
		'Nâng cấp Trạm y tế phường và trang thiết bị khám chữa bệnh',
		'Chỉnh trang vỉa hè, cây xanh tuyến đường Lê Lợi',
		'Xây dựng nhà văn hóa khu phố 3 và khu phố 5'
	];
	return {
		issuingBodyLines: ['HỘI ĐỒNG NHÂN DÂN', 'PHƯỜNG BẾN THÀNH'],
		councilFullName: 'Hội đồng nhân dân phường Bến Thành',
		placeName: 'Bến Thành',
		number: '05/2026/NQ-HĐND',
		// 09:30 on 12 Nov 2026 in Vietnam is 02:30 UTC.
		date: new Date('2026-11-12T02:30:00Z'),
		title: 'Về kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030 và kế hoạch đầu tư công năm 2027 của phường Bến Thành',
		termLabel: 'I',
		sittingNumber: 3,
		legalBases: [
			'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;',
			'Căn cứ Luật Đầu tư công ngày 29 tháng 11 năm 2024;',
			'Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật Ngân sách nhà nước;',
			'Căn cứ Nghị quyết của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính cấp xã của Thành phố Hồ Chí Minh năm 2025;',
			'Xét Tờ trình số 112/TTr-UBND ngày 28 tháng 10 năm 2026 của Ủy ban nhân dân phường Bến Thành về kế hoạch đầu tư công; Báo cáo thẩm tra của Ban Kinh tế - Ngân sách Hội đồng nhân dân phường; ý kiến thảo luận của đại biểu Hội đồng nhân dân phường tại kỳ họp.'
		],
		articles: [
			{
				title: 'Thông qua kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030',
				paragraphs: [
					'1. Tổng vốn đầu tư công trung hạn giai đoạn 2026 - 2030 của phường là 1.250 tỷ đồng, trong đó vốn ngân sách Thành phố phân cấp là 980 tỷ đồng và vốn ngân sách phường là 270 tỷ đồng.',
					'2. Danh mục dự án ưu tiên:',
					...projects.map((p, i) => `${String.fromCharCode(97 + i)}) ${p};`),
					'3. Nguyên tắc phân bổ: tập trung, có trọng tâm, trọng điểm; ưu tiên các dự án chuyển tiếp, dự án cấp bách về chống ngập, an sinh xã hội, y tế, giáo dục; không bố trí vốn cho dự án chưa đủ thủ tục đầu tư.'
				]
			},
			{
				title: 'Kế hoạch đầu tư công năm 2027',
				paragraphs: [
					'1. Tổng vốn kế hoạch năm 2027 là 265 tỷ đồng, phân bổ chi tiết theo Phụ lục kèm theo Nghị quyết này.',
					'2. Trong quá trình thực hiện, trường hợp cần điều chỉnh kế hoạch vốn giữa các dự án, Ủy ban nhân dân phường thống nhất với Thường trực Hội đồng nhân dân phường trước khi thực hiện và báo cáo Hội đồng nhân dân phường tại kỳ họp gần nhất.',
					...Array.from(
						{ length: 10 },
						(_, i) =>
							`${i + 3}. Dự án thứ ${i + 1}: tiếp tục bố trí vốn để hoàn thành đúng tiến độ, nghiệm thu, bàn giao đưa vào sử dụng, phát huy hiệu quả đầu tư; chủ đầu tư chịu trách nhiệm về chất lượng công trình, quyết toán vốn đúng thời hạn quy định.`
					)
				]
			},
			{
				title: 'Tổ chức thực hiện',
				paragraphs: [
					`1. ${LONG_ARTICLE_TEXT}`,
					'2. Thường trực Hội đồng nhân dân, các Ban Hội đồng nhân dân, Tổ đại biểu và đại biểu Hội đồng nhân dân phường giám sát việc thực hiện Nghị quyết này.'
				]
			},
			{
				paragraphs: [
					'Nghị quyết này đã được Hội đồng nhân dân phường Bến Thành khóa I, Kỳ họp thứ 3 thông qua ngày 12 tháng 11 năm 2026 và có hiệu lực kể từ ngày thông qua./.'
				]
			}
		],
		recipients: [
			'Thường trực HĐND Thành phố;',
			'UBND Thành phố;',
			'Thường trực Đảng ủy phường;',
			'Thường trực HĐND phường;',
			'UBND phường;',
			'Ủy ban MTTQ Việt Nam phường;',
			'Đại biểu HĐND phường;',
			'Lưu: VT.'
		],
		signer: { positionLabel: 'Chủ tịch', name: 'Nguyễn Thị Ánh Hồng' },
		verification: {
			url: 'https://nghitruong.hochiminhcity.gov.vn/xac-thuc/BT-2026-05-7QK4',
			shortCode: 'BT-2026-05-7QK4'
		},
		...overrides
	};
}
