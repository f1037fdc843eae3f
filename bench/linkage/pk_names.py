"""Pakistani names for the synthetic benchmark: romanised spellings (the first is the most
common) and the Urdu-script spelling. Given names and family names only: no sect, caste, tribe
or party is modelled. Some pairs are distinct names that look alike (Hamid / Hameed,
Hasan / Hussain, Nadia / Naveed): real hard negatives for a matcher."""

from __future__ import annotations

# (romanised spellings, Urdu spelling)
Name = tuple[tuple[str, ...], str]


def _parse(block: str) -> list[Name]:
    names: list[Name] = []
    for line in block.strip().splitlines():
        roman, urdu = line.split("|")
        names.append((tuple(s.strip() for s in roman.split("/")), urdu.strip()))
    return names


MALE = _parse("""
Ahmed/Ahmad/Ahmet | احمد
Ali/Aly | علی
Hassan/Hasan | حسن
Hussain/Husain/Hussein/Husayn | حسین
Usman/Osman/Usmaan | عثمان
Umar/Omar/Umer | عمر
Bilal/Belal | بلال
Imran/Imraan | عمران
Kamran/Kamraan | کامران
Faisal/Faysal/Fesal | فیصل
Tariq/Tarik/Tareq | طارق
Asif/Aasif | آصف
Kashif/Kasif | کاشف
Khalid/Khaled | خالد
Zahid/Zahed | زاہد
Shahid/Shahed | شاہد
Rashid/Rasheed | راشد
Sajid/Sajed | ساجد
Majid/Majed | ماجد
Naveed/Navid/Naved | نوید
Waseem/Wasim | وسیم
Nadeem/Nadim | ندیم
Saleem/Salim | سلیم
Naeem/Naim | نعیم
Kareem/Karim | کریم
Jameel/Jamil | جمیل
Aslam/Aslum | اسلم
Akram/Ikram | اکرم
Arshad/Irshad | ارشد
Irfan/Irfaan | عرفان
Rizwan/Rizwaan/Rezwan | رضوان
Adnan/Adnaan | عدنان
Farhan/Farhaan | فرحان
Junaid/Junayd/Juned | جنید
Waqas/Waqqas/Vaqas | وقاص
Yasir/Yasser/Yaser | یاسر
Nasir/Nasser/Naser | ناصر
Zubair/Zubayr/Zobair | زبیر
Zafar/Zaffar | ظفر
Iqbal/Ikbal | اقبال
Javed/Javaid/Jawed | جاوید
Pervez/Parvez/Parvaiz | پرویز
Shahzad/Shehzad | شہزاد
Fahad/Fahd | فہد
Hamza/Hamzah | حمزہ
Haider/Hyder/Haidar | حیدر
Abbas/Abas | عباس
Raza/Riza | رضا
Mustafa/Mustapha | مصطفیٰ
Yousuf/Yusuf/Yousaf/Yusef | یوسف
Ibrahim/Ebrahim | ابراہیم
Ismail/Esmail/Ismaeel | اسماعیل
Ilyas/Elyas/Ilyaas | الیاس
Idrees/Idris | ادریس
Saeed/Said/Sayeed | سعید
Rehan/Raihan/Rayhan | ریحان
Sohail/Suhail/Sohel | سہیل
Owais/Uwais/Awais | اویس
Anwar/Anvar | انور
Akhtar/Akhter | اختر
Ghulam/Gulam | غلام
Nawaz/Navaz | نواز
Shakeel/Shakil | شکیل
Shafiq/Shafique/Shafeeq | شفیق
Rafiq/Rafique/Rafeeq | رفیق
Tauseef/Tousif/Tauseef | توصیف
Tahir/Taher | طاہر
Mansoor/Mansur | منصور
Qasim/Kasim/Qasem | قاسم
Azhar/Azher | اظہر
Babar/Baber | بابر
Danish/Daanish | دانش
Ehsan/Ihsan | احسان
Fawad/Fuad | فواد
Habib/Habeeb | حبیب
Jawad/Javad | جواد
Kamal/Kamaal | کمال
Latif/Lateef | لطیف
Mehmood/Mahmood/Mahmud | محمود
Noman/Nauman/Nouman | نعمان
Qaiser/Kaiser/Qaisar | قیصر
Rauf/Raoof | رؤف
Sarfraz/Sarfaraz | سرفراز
Shoaib/Shuaib | شعیب
Taimoor/Taimur/Timur | تیمور
Umair/Omair/Umayr | عمیر
Wajid/Wajed | واجد
Yaqoob/Yakub/Yaqub | یعقوب
Zeeshan/Zishan | ذیشان
Asad/Asaad | اسد
Amir/Aamir | عامر
Abdul Rehman/Abdur Rahman/Abdul Rahman/Abdurrehman | عبدالرحمن
Abdullah/Abdulla/Abd Allah | عبداللہ
Abdul Qadir/Abdul Kadir/Abdulqadir | عبدالقادر
Abdul Ghaffar/Abdul Gaffar | عبدالغفار
Abdul Majeed/Abdul Majid | عبدالمجید
Abdul Sattar/Abdus Sattar | عبدالستار
Abdul Karim/Abdul Kareem | عبدالکریم
Fazal/Fazl | فضل
Noor/Nur | نور
Riaz/Riyaz | ریاض
Ejaz/Ijaz/Aijaz | اعجاز
Imtiaz/Imtiyaz | امتیاز
Mumtaz/Mumtaaz | ممتاز
Fayyaz/Fiaz/Fayaz | فیاض
Niaz/Niyaz | نیاز
Shaukat/Shoukat | شوکت
Sadiq/Sadique | صادق
Siddique/Siddiq/Sadiq | صدیق
Altaf/Altaaf | الطاف
Ashraf/Ashruf | اشرف
Arif/Aarif | عارف
Atif/Aatif | عاطف
Ayaz/Ayyaz | ایاز
Hanif/Haneef | حنیف
Hamid/Haamid | حامد
Hameed/Hamid | حمید
Mukhtar/Mukhtiar | مختار
Nisar/Nisaar | نثار
Raheem/Rahim | رحیم
Salman/Salmaan | سلمان
Sultan/Sultaan | سلطان
Talha/Talhah | طلحہ
Zain/Zayn | زین
Zia/Ziya | ضیاء
Inam ul Haq/Inamul Haq/Inam-ul-Haq | انعام الحق
Ziauddin/Zia-ud-Din/Zia ud Din | ضیاءالدین
Nizamuddin/Nizam-ud-Din | نظام الدین
Saifullah/Saif Ullah/Saif-ullah | سیف اللہ
Ehsanullah/Ehsan Ullah/Ihsanullah | احسان اللہ
Ataullah/Ata Ullah/Atta-ullah | عطاءاللہ
Habib ur Rehman/Habibur Rahman/Habib-ur-Rehman | حبیب الرحمن
Aftab/Aaftab | آفتاب
Mazhar/Mazher | مظہر
Sabir/Saber | صابر
Jahangir/Jehangir | جہانگیر
Shafqat/Shafkat | شفقت
Tanveer/Tanvir | تنویر
Zulfiqar/Zulfikar | ذوالفقار
Ghazanfar/Gazanfar | غضنفر
Iftikhar/Eftikhar | افتخار
Khurram/Khuram | خرم
Bashir/Basheer | بشیر
Nazir/Nazeer | نذیر
Munir/Muneer | منیر
Younis/Yunus/Younus | یونس
""")

FEMALE = _parse("""
Fatima/Fatimah/Fatma | فاطمہ
Ayesha/Aisha/Aysha | عائشہ
Zainab/Zeinab/Zaynab | زینب
Khadija/Khadeeja/Khadijah | خدیجہ
Maryam/Mariam/Mariyam | مریم
Amina/Aamina/Ameena | آمنہ
Asma/Asmaa | اسماء
Bushra/Bushrah | بشریٰ
Nasreen/Nasrin | نسرین
Parveen/Perveen/Parvin | پروین
Shahnaz/Shehnaz | شہناز
Rukhsana/Rukhsaana | رخسانہ
Shazia/Shaziya | شازیہ
Sadia/Saadia/Sadiya | سعدیہ
Saima/Saimah | صائمہ
Nadia/Nadiya | نادیہ
Rabia/Rabiya | رابعہ
Samina/Sameena | ثمینہ
Tahira/Tahirah | طاہرہ
Sana/Sanaa | ثناء
Hina/Heena | حنا
Uzma/Uzmaa | عظمیٰ
Farzana/Farzaana | فرزانہ
Kausar/Kauser/Kosar | کوثر
Zubaida/Zubeda | زبیدہ
Razia/Raziya | رضیہ
Saira/Sayra | سائرہ
Sumaira/Sumera | سمیرا
Nighat/Nighet | نگہت
Rehana/Raihana | ریحانہ
Sajida/Saajida | ساجدہ
Shamim/Shameem | شمیم
Yasmin/Yasmeen/Yasmine | یاسمین
Iram/Erum | ارم
Mehwish/Mahwish | مہوش
Nazia/Naziya | نازیہ
Rubina/Rubeena | روبینہ
Sobia/Sobiya | صوبیہ
Tahmina/Tehmina | تہمینہ
Ghazala/Gazala | غزالہ
Humaira/Humera | حمیرا
Kiran/Kiren | کرن
Lubna/Lubnaa | لبنیٰ
Memoona/Maimoona | میمونہ
Nargis/Nargees | نرگس
Noreen/Nurin | نورین
Qurat ul Ain/Qurratulain/Qurat-ul-Ain | قرۃ العین
Safia/Safiya | صفیہ
Shabana/Shabaana | شبانہ
Shagufta/Shaguftah | شگفتہ
Sughra/Sughran | صغریٰ
Tasleem/Taslim | تسلیم
Zahida/Zaheda | زاہدہ
Zareena/Zarina | زرینہ
Hajra/Hajira/Hajrah | ہاجرہ
Sakina/Sakeena | سکینہ
Jamila/Jameela | جمیلہ
Anila/Aneela | انیلہ
Naseem/Nasim | نسیم
Shaista/Shaesta | شائستہ
Musarrat/Masarrat | مسرت
Ishrat/Eshrat | عشرت
Robina/Rubina | روبینہ
Fouzia/Fauzia | فوزیہ
Nuzhat/Nuzhet | نزہت
Rifat/Riffat | رفعت
Seema/Sima | سیما
Bilquis/Bilqees | بلقیس
Amna/Aamna | آمنہ
Aliya/Aaliya/Alia | عالیہ
""")

FAMILY = _parse("""
Khan/Khaan | خان
Ahmed/Ahmad | احمد
Ali/Aly | علی
Hussain/Husain | حسین
Iqbal/Ikbal | اقبال
Akhtar/Akhter | اختر
Aslam/Aslum | اسلم
Javed/Javaid | جاوید
Anwar/Anvar | انور
Nawaz/Navaz | نواز
Rehman/Rahman | رحمان
Saleem/Salim | سلیم
Sharif/Shareef | شریف
Mehmood/Mahmood | محمود
Raza/Riza | رضا
Haider/Hyder | حیدر
Malik/Malick | ملک
Shaikh/Sheikh/Shaykh | شیخ
Mirza/Mirzah | مرزا
Chaudhry/Chaudhary/Choudhry | چوہدری
Qureshi/Qureshy/Quraishi | قریشی
Siddiqui/Siddiqi/Sadiqi | صدیقی
Ansari/Ansaari | انصاری
Farooqi/Farooqui/Faruqi | فاروقی
Hashmi/Hashmy | ہاشمی
Abbasi/Abasi | عباسی
Butt/Bhatt | بٹ
Bhatti/Bhati | بھٹی
Awan/Awaan | اعوان
Baig/Beg | بیگ
Rana/Raana | رانا
Mughal/Moghul | مغل
Ghauri/Ghori | غوری
Khawaja/Khwaja | خواجہ
Kiani/Kayani | کیانی
Niazi/Niyazi | نیازی
Lodhi/Lodi | لودھی
Sethi/Seethi | سیٹھی
Paracha/Piracha | پراچہ
Alvi/Alavi | علوی
Usmani/Osmani | عثمانی
Durrani/Durani | درانی
Aziz/Azeez | عزیز
Hameed/Hamid | حمید
Latif/Lateef | لطیف
Jamil/Jameel | جمیل
Yousuf/Yusuf | یوسف
Ismail/Esmail | اسماعیل
Ibrahim/Ebrahim | ابراہیم
Younis/Yunus | یونس
Ashraf/Ashruf | اشرف
Rasheed/Rashid | رشید
Bashir/Basheer | بشیر
Nazir/Nazeer | نذیر
Khalil/Khaleel | خلیل
Zaman/Zamaan | زمان
Hayat/Hayaat | حیات
Gul/Gull | گل
Shah/Shaah | شاہ
Memon/Meman | میمن
""")

# Honorifics a record may carry; the matcher must look through them.
MALE_HONORIFICS = ("Haji", "Mr.", "Dr.", "Syed", "Mian", "Janab", "Hafiz", "Ch.")
FEMALE_HONORIFICS = ("Mst.", "Bibi", "Begum", "Mrs.", "Dr.", "Syeda")
MALE_HONORIFICS_UR = ("حاجی", "جناب", "حافظ", "سید")
FEMALE_HONORIFICS_UR = ("بیگم", "بی بی", "محترمہ")
MUHAMMAD_ROMAN = ("Muhammad", "Mohammad", "Mohammed", "Muhammed", "Mohd.", "Md.", "M.")
MUHAMMAD_URDU = "محمد"
