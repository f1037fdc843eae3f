"""Synthetic names for demo people, in romanised and Urdu script.

Deliberately plain given names and patronymic-style family names: no caste, tribe, sect or
ethnic marker, so that demo data can never suggest who targets whom.
"""

GIVEN_MALE = [
    ("Muhammad", "محمد"), ("Ahmed", "احمد"), ("Ali", "علی"), ("Bilal", "بلال"),
    ("Usman", "عثمان"), ("Imran", "عمران"), ("Kamran", "کامران"), ("Farhan", "فرحان"),
    ("Asif", "آصف"), ("Tariq", "طارق"), ("Naveed", "نوید"), ("Sajid", "ساجد"),
    ("Zahid", "زاہد"), ("Adnan", "عدنان"), ("Faisal", "فیصل"), ("Hamza", "حمزہ"),
    ("Irfan", "عرفان"), ("Junaid", "جنید"), ("Khalid", "خالد"), ("Nadeem", "ندیم"),
    ("Rizwan", "رضوان"), ("Salman", "سلمان"), ("Shahid", "شاہد"), ("Waqas", "وقاص"),
    ("Yasir", "یاسر"), ("Zubair", "زبیر"), ("Arif", "عارف"), ("Danish", "دانش"),
]
GIVEN_FEMALE = [
    ("Fatima", "فاطمہ"), ("Ayesha", "عائشہ"), ("Sana", "ثنا"), ("Nadia", "نادیہ"),
    ("Rabia", "رابعہ"), ("Sadia", "سعدیہ"), ("Hina", "حنا"), ("Saima", "صائمہ"),
    ("Amna", "آمنہ"), ("Bushra", "بشریٰ"), ("Farah", "فرح"), ("Iqra", "اقرا"),
    ("Kiran", "کرن"), ("Mehwish", "مہوش"), ("Nazia", "نازیہ"), ("Rukhsana", "رخسانہ"),
    ("Shazia", "شازیہ"), ("Uzma", "عظمیٰ"), ("Yasmin", "یاسمین"), ("Zara", "زارا"),
]
FAMILY = [
    ("Ahmed", "احمد"), ("Iqbal", "اقبال"), ("Akhtar", "اختر"), ("Aslam", "اسلم"),
    ("Rashid", "رشید"), ("Javed", "جاوید"), ("Anwar", "انور"), ("Mahmood", "محمود"),
    ("Nasir", "ناصر"), ("Saleem", "سلیم"), ("Shafiq", "شفیق"), ("Younus", "یونس"),
    ("Hameed", "حمید"), ("Latif", "لطیف"), ("Majeed", "مجید"), ("Rafiq", "رفیق"),
    ("Siddique", "صدیق"), ("Waheed", "وحید"), ("Aziz", "عزیز"), ("Karim", "کریم"),
]
OCCUPATIONS = ["shopkeeper", "driver", "labourer", "teacher", "tailor", "student",
               "mechanic", "trader", "clerk", "nurse", "homemaker", "electrician"]
