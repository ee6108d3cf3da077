// What the benchmark's browsers capture: the sites' small synthetic camera, and a hall microphone's steady sound.

/**
 * An init script: the page's camera captured at `camera`'s size and frame rate, as the sites' synthetic cameras. The
 * page would capture 1280×720 (livekit-client's default), which Chromium's fake camera gives at no less than 5 fps.
 */
export const CAMERA_AT = (camera: { width: number; height: number; fps: number }) => {
	const devices = navigator.mediaDevices;
	const getUserMedia = devices.getUserMedia.bind(devices);
	devices.getUserMedia = function (constraints?: MediaStreamConstraints) {
		if (!constraints?.video) return getUserMedia(constraints);
		const video = typeof constraints.video === 'object' ? constraints.video : {};
		return getUserMedia({ ...constraints, video: { ...video, width: camera.width, height: camera.height, frameRate: camera.fps } });
	};
};

/** A WAV file (48 kHz, mono, 16-bit PCM) of `seconds` of a steady two-tone sound, for Chromium's fake microphone. */
export function toneWav(seconds: number): Buffer {
	const rate = 48_000;
	const samples = rate * seconds;
	const wav = Buffer.alloc(44 + samples * 2);
	wav.write('RIFF', 0);
	wav.writeUInt32LE(36 + samples * 2, 4);
	wav.write('WAVEfmt ', 8);
	wav.writeUInt32LE(16, 16); // format chunk size
	wav.writeUInt16LE(1, 20); // PCM
	wav.writeUInt16LE(1, 22); // mono
	wav.writeUInt32LE(rate, 24);
	wav.writeUInt32LE(rate * 2, 28); // bytes per second
	wav.writeUInt16LE(2, 32); // bytes per sample
	wav.writeUInt16LE(16, 34); // bits per sample
	wav.write('data', 36);
	wav.writeUInt32LE(samples * 2, 40);
	for (let i = 0; i < samples; i++) {
		const t = i / rate;
		wav.writeInt16LE(Math.round(8000 * (Math.sin(2 * Math.PI * 220 * t) + 0.5 * Math.sin(2 * Math.PI * 660 * t))), 44 + i * 2);
	}
	return wav;
}
